/**
 * `npm run bench:ingest`: signed single-event ingest (POST /adapter-events, one New_Call per request, each
 * HMAC-signed when sent) of the real event-bridge under load, side by side with a bare node:http + pg server
 * doing the same HMAC check and one insert; prints requests/s, p50/p99 latency, errors, CPU per request and
 * the throughput ratio service/baseline (goal ≥ 0.5).
 */
import { resolve } from 'node:path';
import { runBenchCommand } from '../bench-command';
import { benchUsage } from '../bench-options';
import { runIngestBench } from './run-ingest-bench';

const usage = benchUsage({
  command: 'bench:ingest',
  service: 'event-bridge',
  what: `Load-tests signed single-event ingest (POST /adapter-events: a distinct New_Call per request, each signed with a
fresh timestamp) of the real event-bridge and, in the same run, a bare node:http + pg server doing the same HMAC
check and one insert; prints requests/s, p50/p99 latency, errors, CPU per request and the ratio service/baseline.`,
});

runBenchCommand({ name: 'bench:ingest', usage, workspaceRoot: resolve(__dirname, '../../..'), run: runIngestBench });
