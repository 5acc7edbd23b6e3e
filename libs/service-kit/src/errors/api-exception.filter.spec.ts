import { Body, ConflictException, Controller, Get, Module, Post } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useKitService } from '../test-support/start-kit-service';

const deliverySchema = z.object({
  name: z.string().min(1),
  contacts: z.array(z.object({ phone: z.string().regex(/^\+\d+$/) })),
});

@Controller('errors')
class ErrorsController {
  @Post('deliveries')
  create(@Body() body: unknown) {
    return { received: deliverySchema.parse(body) };
  }

  @Get('crash')
  crash(): never {
    throw new Error('connection to 10.1.2.3 refused: password authentication failed for "svc"');
  }

  @Get('database-down')
  databaseDown(): never {
    // As Prisma (adapter-pg) throws it while Postgres restarts.
    throw Object.assign(new Error("Can't reach database server at 10.1.2.3:5432"), {
      name: 'PrismaClientKnownRequestError',
      code: 'P1001',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', host: '10.1.2.3', port: 5432 } } },
    });
  }

  @Get('zod')
  zod() {
    return z.object({ count: z.number() }).parse({ count: 'many' });
  }

  @Get('conflict')
  conflict(): never {
    throw new ConflictException({ code: 'DuplicateDelivery', message: 'A delivery with this name exists' });
  }

  @Get('nest-style')
  nestStyle(): never {
    throw new ConflictException('Already exists');
  }
}

@Module({ controllers: [ErrorsController] })
class ErrorsTestModule {}

describe('ApiExceptionFilter through a real server', () => {
  const service = useKitService(ErrorsTestModule, { HTTP_BODY_LIMIT: '1kb' });

  function post(body: string, contentType = 'application/json') {
    return fetch(`${service.baseUrl}/errors/deliveries`, { method: 'POST', headers: { 'content-type': contentType }, body });
  }

  it('P2.1 malformed JSON → 400 naming line and column', async () => {
    const lines = ['{', '  "name": "spring campaign",', '  "contacts": []', '  "extra": 1', '}'];
    const response = await post(lines.join('\n'));

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'BadRequest',
        message: "Malformed JSON at line 4, column 3: Expected ',' or '}' after property value",
      },
    });
  });

  it('P2.1 malformed JSON with an unexpected token still names the position', async () => {
    const response = await post('{"name": "x",\n "contacts": [tru]}');

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      "Malformed JSON at line 2, column 18: Unexpected token ']'",
    );
  });

  it('P2.3 a body over HTTP_BODY_LIMIT → 413', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(5_000), contacts: [] }));

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'PayloadTooLarge', message: 'Request body is larger than the 1024 bytes allowed' },
    });
  });

  it('P2.1 schema violations → 400 listing every offending field', async () => {
    const response = await post(JSON.stringify({ name: '', contacts: [{ phone: '+44' }, { phone: 'abc' }, { phone: 12 }] }));

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { field: string }[]; message: string } };
    expect(body.error.code).toBe('BadRequest');
    expect(body.error.details.map((detail) => detail.field).sort()).toEqual(
      ['contacts[1].phone', 'contacts[2].phone', 'name'].sort(),
    );
    expect(body.error.message).toContain('contacts[1].phone: Invalid string');
  });

  it('P2.1 a valid body reaches the handler parsed', async () => {
    const response = await post(JSON.stringify({ name: 'spring', contacts: [{ phone: '+4420' }] }));

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: { name: 'spring', contacts: [{ phone: '+4420' }] } });
  });

  it('P2.1 a ZodError thrown anywhere in a handler → 400 with its fields', async () => {
    const response = await fetch(`${service.baseUrl}/errors/zod`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { details: unknown } }).error.details).toEqual([
      { field: 'count', message: 'Invalid input: expected number, received string' },
    ]);
  });

  it('P2.1 an unexpected error → 500 with a generic message; the cause is logged, not sent', async () => {
    const response = await fetch(`${service.baseUrl}/errors/crash`);
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'InternalServerError', message: 'An unexpected error occurred.' },
    });
    expect(text).not.toContain('10.1.2.3');
    const logged = service.logs.find((line) => line.msg === 'Request failed');
    expect(logged).toMatchObject({ level: 'error', url: '/errors/crash', err: { message: expect.stringContaining('10.1.2.3') } });
  });

  it('P2.1 a database that cannot be reached → 503 DatabaseUnavailable with Retry-After, nothing of the cause sent; logged', async () => {
    const response = await fetch(`${service.baseUrl}/errors/database-down`);
    const text = await response.text();

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(text)).toEqual({ error: { code: 'DatabaseUnavailable', message: 'The database cannot be reached right now; try again shortly.' } });
    expect(text).not.toContain('10.1.2.3');
    expect(service.logs.find((line) => line.url === '/errors/database-down')).toMatchObject({ level: 'error', msg: 'Request failed' });
  });

  it('P2.4 a credential in the query string (an Event Grid code, a signature) is redacted in every log line of the request', async () => {
    await fetch(`${service.baseUrl}/errors/database-down?code=subscription-secret-42&limit=5`);

    const lines = service.logs.filter((line) => JSON.stringify(line).includes('/errors/database-down?'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(lines)).not.toContain('subscription-secret-42');
    expect(JSON.stringify(lines)).toContain('/errors/database-down?code=[redacted]&limit=5');
  });

  it('P2.2 HttpExceptions keep their status; a code given by the thrower is kept', async () => {
    const custom = await fetch(`${service.baseUrl}/errors/conflict`);
    expect(custom.status).toBe(409);
    expect(await custom.json()).toEqual({ error: { code: 'DuplicateDelivery', message: 'A delivery with this name exists' } });

    const nestStyle = await fetch(`${service.baseUrl}/errors/nest-style`);
    expect(await nestStyle.json()).toEqual({ error: { code: 'Conflict', message: 'Already exists' } });
  });

  it('P2.2 unknown routes answer in the same shape', async () => {
    const response = await fetch(`${service.baseUrl}/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NotFound', message: 'Cannot GET /nowhere' } });
  });
});
