/**
 * `npm run bench`: the create API (POST /api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery) of the real
 * proactive-delivery service under load, side by side with a bare node:http + pg baseline doing the same
 * single-row insert, in one run; prints requests/s, p50/p99 latency, errors and the throughput ratio.
 * Usage: see BENCH_USAGE in bench-options.ts (`npm run bench -- --help`).
 */
import { resolve } from 'node:path';
import { runBenchCommand } from './bench-command';
import { BENCH_USAGE } from './bench-options';
import { runBench } from './run-bench';

runBenchCommand({ name: 'bench', usage: BENCH_USAGE, workspaceRoot: resolve(__dirname, '../..'), run: runBench });
