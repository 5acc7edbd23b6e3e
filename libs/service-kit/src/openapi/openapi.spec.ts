import { Body, Controller, Module, Post } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useKitService } from '../test-support/start-kit-service';

const templateSchema = z.object({ name: z.string().min(1), body: z.string().max(1600).optional() });

@Controller('templates')
class TemplatesController {
  @Post()
  create(@Body() body: unknown) {
    return templateSchema.parse(body);
  }
}

@Module({ controllers: [TemplatesController] })
class OpenApiTestModule {}

describe('OpenAPI document and API page', () => {
  const service = useKitService(OpenApiTestModule);

  it('P4.1 serves the OpenAPI document at /openapi.json', async () => {
    const response = await fetch(`${service.baseUrl}/openapi.json`);
    const document = (await response.json()) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };

    expect(response.status).toBe(200);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Kit test', version: '1.2.3' });
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/templates', '/health/live', '/health/ready']));
    expect(document.paths).not.toHaveProperty('/metrics');
    expect(document.components.securitySchemes).toHaveProperty('bearer');
  });

  it('P4.1 serves a browsable API page at /docs', async () => {
    const response = await fetch(`${service.baseUrl}/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('swagger-ui');
  });
});
