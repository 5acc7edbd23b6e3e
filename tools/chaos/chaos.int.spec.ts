import { findWorkspaceRoot } from '@switchboard/persistence/migrate';
import { testInfra } from '@switchboard/testing';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildServices } from '../start/build-services';
import { builtEntryPoint } from '../stack/service-process';
import { CHAOS_SERVICES, runChaos } from './chaos-run';
import { formatTallies } from './tally';

const SERVICES = [...CHAOS_SERVICES];

/**
 * The chaos run's short version (issue 12): a few hundred units through the public APIs while services are SIGKILLed
 * and restarted and the run's own Postgres restarts once. Proactive dials are guaranteed once (durable delivery row,
 * attempt id as the runtime's idempotency key), SMS and exported files at least once; an SMS double under a kill is
 * the documented Twilio gap, shown in the table but not failed here, and a file double cannot be seen at SFTP.
 */
describe('chaos run, short: SIGKILLs and a Postgres restart under a mixed workload (issue 12, PD4.2, OM3.3)', () => {
  it('loses no accepted delivery, message or file and places no call twice', async () => {
    const workspaceRoot = findWorkspaceRoot();
    // npm test builds before vitest; a lone run of this file builds what is missing.
    if (SERVICES.some((name) => !existsSync(builtEntryPoint(workspaceRoot, name)))) await buildServices({ workspaceRoot, projects: SERVICES });
    const lines: string[] = [];
    const report = await runChaos({
      workspaceRoot,
      kafkaBrokers: testInfra().kafkaBrokers,
      units: 300,
      durationSeconds: 60,
      killEverySeconds: 20,
      seed: 12,
      drainSeconds: 120,
      concurrency: 8,
      log: (line) => lines.push(line),
    });
    const table = formatTallies(report.tallies);
    console.log(`${lines.join('\n')}\n${table}\n${report.kills.length} SIGKILLs: ${report.kills.join(', ')}`);
    const [dials, sms, files] = report.tallies;
    expect(report.kills.length, lines.join('\n')).toBeGreaterThanOrEqual(2);
    expect(lines).toContain('Postgres is back');
    // Every unit ended somewhere: accepted, unacknowledged (answer lost, not safely retryable) or refused.
    for (const tally of report.tallies) expect(tally.accepted + tally.unacknowledged + tally.refused, table).toBe(100);
    // Most units get their 2xx; the rest met a dead service or database until the retries ended (listed by the log).
    for (const tally of report.tallies) expect(tally.accepted, table).toBeGreaterThan(80);
    expect({ dialsLost: dials?.lost, dialsDoubled: dials?.doubled, smsLost: sms?.lost, filesLost: files?.lost }, table).toEqual({ dialsLost: 0, dialsDoubled: 0, smsLost: 0, filesLost: 0 });
  }, 300_000);
});
