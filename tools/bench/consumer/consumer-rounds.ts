import { withConnection } from '@switchboard/persistence/migrate';
import type pg from 'pg';
import type { BarePair } from './bare-pair-process';
import { benchEventId, benchEvents } from './bench-events';
import { ConsumerRound, eventsPerSecond, ratioOf } from './consumer-report';
import { runPipeline } from './pipeline-run';
import { addCpu, CpuSpent, cpuSpent, readCpu } from './process-cpu';

/** Everything a round needs: both sides ready, and the processes whose CPU each side is charged with. */
export interface RoundsSetup {
  databaseUrl: string;
  databaseName: string;
  tenantId: string;
  writer: pg.Pool;
  bare: BarePair;
  pipelinePids: Record<string, number | undefined>;
  barePids: Record<string, number | undefined>;
  bareTable: string;
  /** Run ids of the rounds are derived from it; each side and round gets its own events. */
  runId: number;
  eventsPerRound: number;
}

export interface RoundsResult {
  rounds: ConsumerRound[];
  pipeline: { stored: number; cpuMs: CpuSpent };
  bare: { stored: number; cpuMs: CpuSpent };
}

const prefixOf = (runId: number) => benchEventId(runId, 0).slice(0, 8);
const runIdOf = (base: number, offset: number) => (base + offset) % 0xffffffff;

const countStored = (url: string, table: string, runId: number) =>
  withConnection(url, async (client) => Number((await client.query(`SELECT count(*) FROM ${table} WHERE event_id LIKE $1`, [`${prefixOf(runId)}%`])).rows[0].count));

/** Runs one round's pipeline side (also used unmeasured: warm-up, profiling). */
export function pipelineRound(setup: RoundsSetup, runId: number, events: number) {
  return runPipeline(setup.writer, setup.databaseUrl, benchEvents(runId, events, setup.tenantId), prefixOf(runId));
}

/**
 * Interleaves the two sides: bare pair, pipeline, bare pair, pipeline, … `rounds` times. Under a load that
 * drifts during the run (the machine is shared), each round's ratio compares two runs made seconds apart,
 * and the median of those ratios is far steadier than one long run of each side after the other.
 */
export async function runRounds(setup: RoundsSetup, rounds: number, log: (line: string) => void): Promise<RoundsResult> {
  const done: ConsumerRound[] = [];
  const stored = { pipeline: 0, bare: 0 };
  let pipelineCpu: CpuSpent | undefined;
  let bareCpu: CpuSpent | undefined;
  const cpuOf = async <T>(pids: Record<string, number | undefined>, phase: () => Promise<T>) => {
    const before = await readCpu(pids, setup.databaseUrl, setup.databaseName);
    const value = await phase();
    return { value, cpu: cpuSpent(before, await readCpu(pids, setup.databaseUrl, setup.databaseName)) };
  };
  for (let round = 0; round < rounds; round++) {
    const [bareRun, pipelineRun] = [runIdOf(setup.runId, 2 * round), runIdOf(setup.runId, 2 * round + 1)];
    const bare = await cpuOf(setup.barePids, () => setup.bare.run(bareRun, setup.eventsPerRound));
    const pipeline = await cpuOf(setup.pipelinePids, () => pipelineRound(setup, pipelineRun, setup.eventsPerRound));
    [bareCpu, pipelineCpu] = [addCpu(bareCpu, bare.cpu), addCpu(pipelineCpu, pipeline.cpu)];
    stored.bare += await countStored(setup.databaseUrl, setup.bareTable, bareRun);
    stored.pipeline += await countStored(setup.databaseUrl, 'crm_sync.agent_event_log', pipelineRun);
    const bareRate = eventsPerSecond(setup.eventsPerRound, bare.value.elapsedMs);
    const pipelineRate = eventsPerSecond(setup.eventsPerRound, pipeline.value.consumedMs);
    const measured: ConsumerRound = {
      bare: { eventsPerSecond: bareRate, elapsedMs: Math.round(bare.value.elapsedMs), producedMs: Math.round(bare.value.producedMs) },
      pipeline: { eventsPerSecond: pipelineRate, elapsedMs: pipeline.value.consumedMs, stages: pipeline.value },
      ratio: ratioOf(pipelineRate, bareRate),
    };
    done.push(measured);
    log(`round ${round + 1}/${rounds}: bare ${bareRate}/s, pipeline ${pipelineRate}/s, ratio ${measured.ratio}`);
  }
  return {
    rounds: done,
    pipeline: { stored: stored.pipeline, cpuMs: pipelineCpu ?? {} },
    bare: { stored: stored.bare, cpuMs: bareCpu ?? {} },
  };
}
