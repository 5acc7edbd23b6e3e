import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@switchboard/auth';
import { ServiceConfig } from '@switchboard/service-kit';
import type { FastifyReply } from 'fastify';
import { type PageKind, setPageHeaders } from './page-headers';

/** The demo's own scripts and styles, by the name its pages use: nothing else of the folder is reachable. */
const DEMO_ASSETS: ReadonlySet<string> = new Set(['agent-desktop.js', 'adapter-simulator.js', 'demo.css']);

/**
 * The agent-bridge script CRM pages include (EB1.1 a, EB3.2), and the demo agent desktop (EB3.3).
 *
 * The demo exists only where development tokens are accepted (AUTH_DEV_ISSUER_ENABLED=true, as under
 * `npm start`); elsewhere its routes answer 404 like any unknown path. It takes the agent's token from
 * the URL fragment (`/demo/agent-desktop#token=<jwt>`), which browsers never send to a server, so the
 * token is in no request line, access log or Referer; the page removes it from the address bar at once.
 */
@ApiTags('agent pages')
@Public()
@Controller()
export class AgentPagesController {
  constructor(private readonly config: ServiceConfig) {}

  @Get('sdk/agent-bridge.js')
  @ApiOperation({
    summary: 'The agent-bridge script for CRM pages: forwards adapter events, shows screen pops',
    description: 'Include with <script src>, then call SwitchboardAgentBridge.start({bridgeUrl, token | getToken, adapterOrigin, targetFrame}).',
  })
  @ApiProduces('application/javascript')
  bridgeScript(@Res() reply: FastifyReply): FastifyReply {
    return this.send(reply, 'agent-bridge.js', 'bridge-script');
  }

  @Get('demo/agent-desktop')
  @ApiExcludeEndpoint()
  desktop(@Res() reply: FastifyReply): FastifyReply {
    return this.send(reply, 'agent-desktop.html', 'desktop', { demo: true });
  }

  @Get('demo/adapter-simulator')
  @ApiExcludeEndpoint()
  adapterSimulator(@Res() reply: FastifyReply): FastifyReply {
    return this.send(reply, 'adapter-simulator.html', 'simulator', { demo: true });
  }

  @Get('demo/assets/:name')
  @ApiExcludeEndpoint()
  demoAsset(@Param('name') name: string, @Res() reply: FastifyReply): FastifyReply {
    if (!DEMO_ASSETS.has(name)) throw new NotFoundException();
    return this.send(reply, name, 'demo-asset', { demo: true });
  }

  private send(reply: FastifyReply, file: string, kind: PageKind, options: { demo?: boolean } = {}): FastifyReply {
    if (options.demo && !this.config.AUTH_DEV_ISSUER_ENABLED) throw new NotFoundException();
    setPageHeaders(reply, kind);
    return reply.sendFile(file);
  }
}
