import { Module } from '@nestjs/common';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useKitService } from '../test-support/start-kit-service';

@Module({})
class EmptyModule {}

interface Dribble {
  /** Resolves when the server closed the connection: what it sent, and whether we were still sending. */
  closed: Promise<{ received: string; bytesSent: number; stillSending: boolean }>;
}

/** Opens a connection and sends a request's headers one byte every `intervalMs`, never finishing. */
function dribbleHeaders(port: number, intervalMs: number): Dribble {
  const request = `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'x'.repeat(10_000)}\r\n\r\n`;
  const socket: Socket = connect(port, '127.0.0.1');
  let sent = 0;
  let received = '';
  let stillSending = true;
  const timer = setInterval(() => {
    if (sent < request.length && socket.writable) socket.write(request[sent++] as string);
  }, intervalMs);
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ received: string; bytesSent: number; stillSending: boolean }>((resolve) => {
    socket.once('close', () => {
      stillSending = sent < request.length;
      clearInterval(timer);
      resolve({ received, bytesSent: sent, stillSending });
    });
  });
  return { closed };
}

describe('slow clients (issue 7)', () => {
  const service = useKitService(EmptyModule, { HTTP_HEADERS_TIMEOUT_MS: 500, HTTP_REQUEST_TIMEOUT_MS: 1_000 });

  it('P2.3 connections sending headers byte by byte are closed by the server (408), all of them', async () => {
    const port = Number(new URL(service.baseUrl).port);

    const dribbles = Array.from({ length: 20 }, () => dribbleHeaders(port, 20));
    const outcomes = await Promise.all(dribbles.map((dribble) => dribble.closed));

    for (const outcome of outcomes) {
      // The client never finished its headers: the close came from the server.
      expect(outcome.stillSending).toBe(true);
      expect(outcome.bytesSent).toBeGreaterThan(0);
      expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
    }
    // Meanwhile, and afterwards, a normal client is served.
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
  });
});
