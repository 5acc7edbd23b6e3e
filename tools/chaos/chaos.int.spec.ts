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
 * The chaos run's short version (issue 12): a few hundred units through the public APIs of all five services while
 * they are SIGKILLed and restarted and the run's own Postgres restarts once. Proactive dials are guaranteed once
 * (durable delivery row, attempt id as the runtime's idempotency key), SMS and exported files at least once; an SMS
 * double under a kill is the documented Twilio gap, shown in the table but not failed here, and a file double cannot
 * be seen at SFTP. Sessions of two tenants: every CRM account, record and comment once (comments through the CRM's
 * Idempotency-Key), the outcome e-mail and metadata file at least once (an SMTP double is a known gap), tenant B's
 * metadata files attached to its CRM records once (storage-export's hand-over, crm-sync's upload with an
 * Idempotency-Key), and nothing of one tenant's sessions at the other's CRM, mailbox or folder.
 */
describe('chaos run, short: SIGKILLs and a Postgres restart under a mixed workload (issue 12, PD4.2, OM3.3, CS2.8, EB2.2)', () => {
  it('loses no accepted delivery, message, file or session effect, places no call and makes no CRM object twice, crosses no tenant', async () => {
    const workspaceRoot = findWorkspaceRoot();
    // npm test builds before vitest; a lone run of this file builds what is missing.
    if (SERVICES.some((name) => !existsSync(builtEntryPoint(workspaceRoot, name)))) await buildServices({ workspaceRoot, projects: SERVICES });
    const lines: string[] = [];
    const report = await runChaos({
      workspaceRoot,
      kafkaBrokers: testInfra().kafkaBrokers,
      // 100 deliveries, messages and files each, 25 sessions (13 of tenant A, 12 of B) of four events.
      units: 400,
      durationSeconds: 45,
      killEverySeconds: 15,
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
    for (const tally of [dials, sms, files]) expect((tally?.accepted ?? 0) + (tally?.unacknowledged ?? 0) + (tally?.refused ?? 0), table).toBe(100);
    // Most units get their 2xx; the rest met a dead service or database until the retries ended (listed by the log).
    for (const tally of [dials, sms, files]) expect(tally?.accepted, table).toBeGreaterThan(80);
    expect({ dialsLost: dials?.lost, dialsDoubled: dials?.doubled, smsLost: sms?.lost, filesLost: files?.lost }, table).toEqual({ dialsLost: 0, dialsDoubled: 0, smsLost: 0, filesLost: 0 });

    const sessionRows = report.tallies.slice(3);
    const row = (kind: string, tenant: 'A' | 'B') => sessionRows.find((tally) => tally.kind === `${kind} (tenant ${tenant})`);
    for (const [tenant, sessions] of [['A', 13], ['B', 12]] as const) {
      const accounts = row('CRM accounts', tenant);
      expect((accounts?.accepted ?? 0) + (accounts?.unacknowledged ?? 0) + (accounts?.refused ?? 0), table).toBe(sessions);
      expect(accounts?.accepted, table).toBeGreaterThan(sessions / 2);
    }
    // Six kinds per tenant, and tenant B's CRM uploads.
    expect(sessionRows.map((tally) => tally.kind), table).toContain('CRM uploads (tenant B)');
    expect(sessionRows, table).toHaveLength(13);
    for (const tally of sessionRows) {
      const exact = tally.kind.startsWith('outcome e-mails') ? { lost: tally.lost, crossTenant: tally.crossTenant } : { lost: tally.lost, doubled: tally.doubled, crossTenant: tally.crossTenant };
      expect({ kind: tally.kind, ...exact }, table).toEqual({ kind: tally.kind, lost: 0, ...(tally.kind.startsWith('outcome e-mails') ? {} : { doubled: 0 }), crossTenant: 0 });
    }
    expect(report.acceptedUnits, table).toBeGreaterThan(300);
  }, 300_000);
});
