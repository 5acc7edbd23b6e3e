import type { DeployResult, MigrationStatus } from '../../libs/persistence/src/migrate';

/** One readable line per service for each command. */

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function deployLine(service: string, { applied, platformApplied }: DeployResult): string {
  const parts = [
    platformApplied.length ? `${plural(platformApplied.length, 'platform migration')}: ${platformApplied.join(', ')}` : '',
    applied.length ? `${plural(applied.length, 'migration')}: ${applied.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? `${service}: up to date, nothing to apply` : `${service}: applied ${parts.join('; ')}`;
}

export function migrateLine(service: string, created: string | undefined, createOnly: boolean): string {
  if (!created) return `${service}: no schema changes, no migration created`;
  return `${service}: created prisma/migrations/${created}/migration.sql${createOnly ? ' (not applied)' : ' and applied it'}`;
}

export function statusLine(status: MigrationStatus): string {
  const head = `${status.service} (schema ${status.schema})`;
  if (!status.databaseExists) return `${head}: database does not exist yet, ${plural(status.pending.length, 'migration')} pending`;
  const problems = [
    status.platformPending.length ? `${status.platformPending.length} platform pending: ${status.platformPending.join(', ')}` : '',
    status.pending.length ? `${status.pending.length} pending: ${status.pending.join(', ')}` : '',
    status.superseded.length ? `recorded under a superseded checksum (deploy updates it): ${status.superseded.join(', ')}` : '',
    status.failed.length ? `failed: ${status.failed.join(', ')}` : '',
    status.edited.length ? `edited after being applied: ${status.edited.join(', ')}` : '',
    status.missingLocally.length ? `applied but missing from prisma/migrations: ${status.missingLocally.join(', ')}` : '',
  ].filter(Boolean);
  const applied = `${plural(status.applied.length, 'migration')} applied`;
  return problems.length === 0 ? `${head}: up to date, ${applied}` : `${head}: ${applied}; ${problems.join('; ')}`;
}

export function generateLine(service: string): string {
  return `${service}: generated Prisma client in apps/${service}/src/generated/prisma`;
}
