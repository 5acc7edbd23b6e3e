import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '../http/public-route';

/** Prometheus scrape endpoint (P4.1) on the API port, unless METRICS_PORT moves it. Needs no authentication. */
@ApiExcludeController()
// Probes and scrapers carry no user token.
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
