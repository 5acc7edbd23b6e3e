import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/public-route';
import { ServiceLifecycle } from '../lifecycle/service-lifecycle';
import { ReadinessRegistry, type ReadinessReport } from './readiness-registry';

export interface ShuttingDownReport {
  status: 'shutting-down';
  checks: Record<string, string>;
}

/** Liveness and readiness probes (P4.1). Needs no authentication. */
@ApiTags('operations')
// Probes and scrapers carry no user token.
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  /** 200 while the process runs: a failing liveness probe restarts the container. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every registered check passes; 503 otherwise, and from the start of shutdown. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<ReadinessReport | ShuttingDownReport> {
    if (this.lifecycle.isShuttingDown) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'shutting-down', checks: {} };
    }
    const report = await this.readiness.run();
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
