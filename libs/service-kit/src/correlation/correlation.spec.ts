import { Body, Controller, Get, Module, Post, Req } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { describe, expect, it } from 'vitest';
import type { RequestWithRawBody } from '../http/json-body';
import { useKitService } from '../test-support/start-kit-service';
import { currentCorrelation, runWithCorrelation } from './correlation-context';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

@Controller('work')
class WorkController {
  constructor(private readonly logger: PinoLogger) {}

  @Get()
  async get() {
    await tick();
    this.logger.info('doing the work');
    return { seen: currentCorrelation() ?? null };
  }

  @Post()
  async post(@Req() request: RequestWithRawBody, @Body() body: unknown) {
    await tick();
    return { seen: currentCorrelation() ?? null, body, rawBody: request.rawBody?.toString('utf8') ?? null };
  }
}

@Module({ controllers: [WorkController] })
class WorkTestModule {}

describe('request and correlation ids', () => {
  const service = useKitService(WorkTestModule);

  it('P4.1 echoes a caller request id, and the correlation id defaults to it', async () => {
    const response = await fetch(`${service.baseUrl}/work`, { headers: { 'X-Request-Id': 'req-42' } });

    expect(response.headers.get('x-request-id')).toBe('req-42');
    expect(response.headers.get('x-correlation-id')).toBe('req-42');
    expect(await response.json()).toEqual({ seen: { requestId: 'req-42', correlationId: 'req-42' } });
  });

  it('P4.1 generates a request id when none (or an unsafe one) is sent', async () => {
    const plain = await fetch(`${service.baseUrl}/work`);
    const unsafe = await fetch(`${service.baseUrl}/work`, { headers: { 'X-Request-Id': 'bad id\twith "quotes"' } });

    for (const response of [plain, unsafe]) {
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(plain.headers.get('x-request-id')).not.toBe(unsafe.headers.get('x-request-id'));
  });

  it('P4.1 propagates the caller correlation id to code through AsyncLocalStorage, across awaits', async () => {
    const response = await fetch(`${service.baseUrl}/work`, {
      headers: { 'X-Request-Id': 'req-7', 'X-Correlation-Id': 'chain-1' },
    });

    expect(response.headers.get('x-correlation-id')).toBe('chain-1');
    expect(await response.json()).toEqual({ seen: { requestId: 'req-7', correlationId: 'chain-1' } });
  });

  it('P4.1 keeps the context through body parsing, and keeps the raw body for HMAC checks', async () => {
    const raw = '{ "a" : 1 }';
    const response = await fetch(`${service.baseUrl}/work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Correlation-Id': 'chain-2' },
      body: raw,
    });

    expect(await response.json()).toEqual({
      seen: { requestId: response.headers.get('x-request-id'), correlationId: 'chain-2' },
      body: { a: 1 },
      rawBody: raw,
    });
  });

  it('P4.1 log lines written while handling a request carry both ids', async () => {
    await fetch(`${service.baseUrl}/work`, { headers: { 'X-Request-Id': 'req-logged', 'X-Correlation-Id': 'chain-logged' } });

    const appLine = service.logs.find((line) => line.msg === 'doing the work' && line['reqId'] === 'req-logged');
    const requestLine = service.logs.find((line) => line.msg === 'request completed' && line['reqId'] === 'req-logged');
    expect(appLine).toMatchObject({ level: 'info', service: 'kit-test', correlationId: 'chain-logged' });
    expect(requestLine).toMatchObject({ correlationId: 'chain-logged', res: { statusCode: 200 } });
  });

  it('P4.1 redacts credentials from logged request headers', async () => {
    await fetch(`${service.baseUrl}/work`, {
      headers: { 'X-Request-Id': 'req-secret', authorization: 'Bearer eyJ.secret.token' },
    });

    const requestLine = service.logs.find((line) => line.msg === 'request completed' && line['reqId'] === 'req-secret');
    expect(requestLine).toMatchObject({ req: { headers: { authorization: '[redacted]' } } });
    expect(JSON.stringify(service.logs)).not.toContain('eyJ.secret.token');
  });
});

describe('runWithCorrelation', () => {
  it('P4.1 sets the context for work outside HTTP (e.g. a consumed message) and nowhere else', async () => {
    const context = { requestId: 'msg-1', correlationId: 'chain-9' };

    const seen = await runWithCorrelation(context, async () => {
      await tick();
      return currentCorrelation();
    });

    expect(seen).toEqual(context);
    expect(currentCorrelation()).toBeUndefined();
  });
});
