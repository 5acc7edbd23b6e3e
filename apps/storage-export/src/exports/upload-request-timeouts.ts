import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { StorageExportConfig } from '../config';

/** The streamed upload route (ExportsController.upload): PUT /sessions/{id}/files/{kind}/{name}. */
const UPLOAD_ROUTE = /^\/sessions\/[^/?]+\/files\/[^/?]+\/[^/?]+(?:\?|$)/;

/**
 * Request timeouts per route. Node's server-wide `requestTimeout` (HTTP_REQUEST_TIMEOUT_MS) cuts any request
 * whose body is not whole in time, which would cut a large upload on a slow but working link (SE3.5). So
 * this takes that job over: every request but an upload still gets HTTP_REQUEST_TIMEOUT_MS for its whole
 * body, while an upload may take as long as its bytes keep coming and is cut once none came for
 * UPLOAD_IDLE_TIMEOUT_MS. Both end the same way Node's own timeout does (a 'clientError' with
 * ERR_HTTP_REQUEST_TIMEOUT: the platform answers 408 and closes the connection). The headers timeout stays Node's.
 */
@Injectable()
export class UploadRequestTimeouts implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: StorageExportConfig,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || server.requestTimeout === 0) return;
    const wholeRequestMs = server.requestTimeout;
    const uploadIdleMs = this.config.UPLOAD_IDLE_TIMEOUT_MS;
    server.requestTimeout = 0;
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.complete) return;
      if (request.method === 'PUT' && UPLOAD_ROUTE.test(request.url ?? '')) watchIdle(server, request, response, uploadIdleMs);
      else watchWhole(server, request, response, wholeRequestMs);
    });
  }
}

function watchWhole(server: Server, request: IncomingMessage, response: ServerResponse, ms: number): void {
  const timer = setTimeout(() => {
    if (!request.complete) timeOut(server, request, response);
  }, ms);
  const stop = () => clearTimeout(timer);
  request.once('end', stop);
  request.once('close', stop);
}

function watchIdle(server: Server, request: IncomingMessage, response: ServerResponse, ms: number): void {
  let timer = setTimeout(onIdle, ms);
  function onIdle(): void {
    if (!request.complete) timeOut(server, request, response);
  }
  // Counted off the socket, not the request stream: bytes arriving count as progress even while the
  // handler is busy writing the previous ones (the request stream is paused then).
  const onBytes = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  const socket = request.socket;
  socket.on('data', onBytes);
  const stop = () => {
    clearTimeout(timer);
    socket.off('data', onBytes);
  };
  request.once('end', stop);
  request.once('close', stop);
  response.once('finish', stop);
}

function timeOut(server: Server, request: IncomingMessage, response: ServerResponse): void {
  if (response.headersSent || request.socket.destroyed) {
    request.socket.destroy();
    return;
  }
  server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), request.socket);
}
