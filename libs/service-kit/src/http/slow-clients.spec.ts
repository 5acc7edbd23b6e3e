import { Module } from '@nestjs/common';
import { dribbleRequestHeaders } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { useKitService } from '../test-support/start-kit-service';

@Module({})
class EmptyModule {}

describe('slow clients (issue 7)', () => {
  const service = useKitService(EmptyModule, { HTTP_HEADERS_TIMEOUT_MS: 500, HTTP_REQUEST_TIMEOUT_MS: 1_000 });

  it('P2.3 connections sending headers byte by byte are closed by the server (408), all of them', async () => {
    const port = Number(new URL(service.baseUrl).port);

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => dribbleRequestHeaders(port)));

    expect(outcomes.filter((outcome) => !outcome.closedWhileSending || outcome.bytesSent === 0)).toEqual([]);
    // The server answers 408 before closing; a client still sending may get a reset that drops it.
    expect(outcomes.some((outcome) => outcome.received.startsWith('HTTP/1.1 408 '))).toBe(true);
    expect(outcomes.filter((outcome) => outcome.received !== '' && !outcome.received.startsWith('HTTP/1.1 408 '))).toEqual([]);
    // The server goes on serving normal clients.
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
  });
});
