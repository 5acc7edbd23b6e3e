import fastifyStatic from '@fastify/static';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the pages and the agent-bridge script are. From source (tests, tsx) they sit next to this
 * module in public/; in the webpack bundle every module's __dirname is dist/apps/event-bridge, where
 * the build copies src/<feature>/public/ (tools/nx-plugin/webpack/service.webpack.config.js).
 */
export function publicFilesDirectory(moduleDirectory = __dirname): string {
  const candidates = [join(moduleDirectory, 'public'), join(moduleDirectory, 'agent-desktop', 'public')];
  const found = candidates.find((directory) => existsSync(join(directory, 'agent-bridge.js')));
  if (!found) throw new Error(`agent-desktop: the public files are missing (looked in ${candidates.join(', ')}); was the build's asset copy skipped?`);
  return found;
}

/**
 * Lets controllers answer with `reply.sendFile(name)` (@fastify/static: ETag, If-None-Match, HEAD,
 * ranges). Only the decoration: no routes of its own, so every file is reachable only through a route
 * that names it, with that route's headers.
 */
@Injectable()
export class PublicFiles implements OnModuleInit {
  readonly directory = publicFilesDirectory();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(fastifyStatic, { root: this.directory, serve: false, cacheControl: false, dotfiles: 'deny' });
  }
}
