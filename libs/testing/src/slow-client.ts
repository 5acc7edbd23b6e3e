import { connect } from 'node:net';

export interface DribbleOutcome {
  /** What the server sent before closing (a 408 answer, when it says why). */
  received: string;
  bytesSent: number;
  /** True when the headers were still unfinished at the close: the server, not the client, ended it. */
  closedWhileSending: boolean;
}

/**
 * A slow client: opens a connection and sends a request's headers one byte every `intervalMs`,
 * padded so it would need minutes to finish. Resolves once the connection is closed.
 */
export function dribbleRequestHeaders(port: number, intervalMs = 20, host = '127.0.0.1'): Promise<DribbleOutcome> {
  const request = `GET /health/live HTTP/1.1\r\nHost: ${host}\r\nX-Padding: ${'x'.repeat(10_000)}\r\n\r\n`;
  const socket = connect(port, host);
  let sent = 0;
  let received = '';
  const timer = setInterval(() => {
    if (sent < request.length && socket.writable) socket.write(request[sent++] as string);
  }, intervalMs);
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  // A reset instead of an orderly close still ends the connection: 'close' follows.
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ received, bytesSent: sent, closedWhileSending: sent < request.length });
    });
  });
}
