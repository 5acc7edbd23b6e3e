import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EventBridgeConfig } from '../config';

/** What the page script calls, with the one method each takes (EB1.1 a, EB3.1). */
const AGENT_PAGE_ROUTES: Record<string, string> = {
  '/adapter-events/from-agent': 'POST',
  '/agent-stream': 'GET',
};

/** The request headers the script sends besides the CORS-safelisted ones. */
const ALLOWED_HEADERS = 'authorization, content-type, last-event-id';
const PREFLIGHT_MAX_AGE_SEC = '600';

/**
 * Cross-origin calls from CRM pages (AGENT_PAGE_ORIGINS) to the agent endpoints, and to nothing else: the
 * script sends a bearer token, so the browser asks first (preflight) and reads answers only for an origin
 * named here. No cookies are involved (credentials stay off), so the token is the only credential.
 */
@Injectable()
export class AgentPageCors implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: EventBridgeConfig,
  ) {}

  onModuleInit(): void {
    const allowed = new Set(this.config.AGENT_PAGE_ORIGINS);
    if (allowed.size === 0) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      const method = AGENT_PAGE_ROUTES[request.url.split('?')[0] ?? ''];
      const origin = request.headers.origin;
      if (!method || !origin || !allowed.has(origin)) return done();
      // On the raw response: the agent stream writes its own head, and Node merges these into it.
      reply.raw.setHeader('access-control-allow-origin', origin);
      reply.raw.setHeader('vary', 'Origin');
      if (request.method !== 'OPTIONS') return done();
      answerPreflight(request, reply, method);
    });
  }
}

function answerPreflight(request: FastifyRequest, reply: FastifyReply, method: string): void {
  if (request.headers['access-control-request-method'] !== method) {
    void reply.code(405).header('allow', method).send();
    return;
  }
  void reply
    .code(204)
    .headers({ 'access-control-allow-methods': method, 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': PREFLIGHT_MAX_AGE_SEC })
    .send();
}
