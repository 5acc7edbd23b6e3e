interface LogRecord {
  time?: string;
  level?: string | number;
  msg?: string;
  context?: string;
  err?: { message?: string; stack?: string };
  error?: unknown;
}

/**
 * The last lines a service printed, for a person: pino's JSON lines become `time level [context] msg`
 * plus the error, anything else (a crash before the logger existed) stays as printed.
 */
export function readableTail(output: string, maxLines = 15): string[] {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-maxLines).map(readableLine);
}

function readableLine(line: string): string {
  let record: LogRecord;
  try {
    record = JSON.parse(line) as LogRecord;
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null || record.msg === undefined) return line;
  const time = typeof record.time === 'string' ? record.time.slice(11, 19) : '';
  const context = record.context ? `[${record.context}] ` : '';
  const failure = record.err?.message ?? (record.error === undefined ? undefined : String(record.error));
  return [time, String(record.level ?? '').padEnd(5), `${context}${record.msg}${failure ? ` — ${failure}` : ''}`].filter(Boolean).join(' ');
}
