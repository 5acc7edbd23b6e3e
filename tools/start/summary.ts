export interface ServiceRow {
  name: string;
  pid: number | undefined;
  url: string;
  health: string;
}

export interface SummaryInput {
  services: ServiceRow[];
  postgres: { url: string; source: 'env' | 'local' | 'embedded'; note?: string };
  /** mockLabel names the mock ("kcat mock cluster", "npm mock cluster (…)"). */
  kafka: { brokers: string[]; mock: boolean; mockLabel?: string };
  /** As the user should type it (relative to the workspace when inside it). */
  logDir: string;
  readyInMs: number;
  /** The demo tenant's "try it" lines (formatTryIt), when it was seeded. */
  tryIt?: string[];
}

export const SUMMARY_HEADLINE = 'Switchboard is up';

/** The one block `npm start` prints once every service is ready. */
export function formatSummary(input: SummaryInput): string {
  const header = ['service', 'pid', 'URL', 'API page', 'health'];
  const rows = input.services.map((service) => [service.name, String(service.pid ?? '?'), service.url, `${service.url}/docs`, service.health]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column])).join('   ')}`.trimEnd();

  const postgresNote = input.postgres.source === 'env' ? 'DATABASE_URL' : [input.postgres.source === 'embedded' ? 'embedded' : 'local default', input.postgres.note].filter(Boolean).join(', ');
  const kafkaNote = input.kafka.mock ? `local ${input.kafka.mockLabel ?? 'kcat mock cluster'}; in memory, gone when stopped` : 'KAFKA_BROKERS';
  const someLog = `${input.logDir}/${input.services[0]?.name ?? 'crm-sync'}.log`;
  return [
    '',
    `${SUMMARY_HEADLINE} — ${input.services.length} services ready in ${(input.readyInMs / 1000).toFixed(1)} s`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `  Postgres  ${withoutPassword(input.postgres.url)}  (${postgresNote})`,
    `  Kafka     ${input.kafka.brokers.join(',')}  (${kafkaNote})`,
    `  Logs      ${input.logDir}/<service>.log  (JSON lines; e.g. tail -f ${someLog})`,
    `  Token     npm run mint-token -- --tenant <tenant uuid> --roles Administrator`,
    `            (send it as "Authorization: Bearer <token>"; this stack accepts dev tokens)`,
    '',
    ...(input.tryIt ? [...input.tryIt, ''] : []),
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

/** Connection URLs are printed, passwords are not. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
