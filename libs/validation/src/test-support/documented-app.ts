import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export interface DocumentedApp {
  app: NestFastifyApplication;
  /** Where it listens (127.0.0.1, a free port). */
  url: string;
  /** Its OpenAPI document, as /openapi.json would serve it. */
  document: OpenAPIObject;
}

/** A test module's controllers served over HTTP with their OpenAPI document: what a request sees and what it is told. */
export async function startDocumentedApp(module: Type): Promise<DocumentedApp> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: false });
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), document };
}
