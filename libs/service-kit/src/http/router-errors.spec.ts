import { Controller, Get, Module, Param } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { useKitService } from '../test-support/start-kit-service';

@Controller('things')
class ThingsController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('router-level refusals (P2.1)', () => {
  const service = useKitService(ThingsModule);

  it.each([
    ['a path parameter over 1000 characters', `/things/${'9'.repeat(5000)}`, 414, 'URITooLong'],
    ['a path with broken percent-encoding', '/things/%E0%A4%A', 400, 'BadRequest'],
  ])('P2.1 %s is answered in the platform error shape, without echoing the path', async (_, path, status, code) => {
    const response = await fetch(`${service.baseUrl}${path}`);
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(JSON.parse(text)).toEqual({ error: { code, message: expect.any(String) } });
    expect(text).not.toContain('9'.repeat(100));
  });
});
