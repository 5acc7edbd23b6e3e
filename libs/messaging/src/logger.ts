/** The logging surface the messaging code needs; the NestJS wrapper adapts the service logger to it. */
export interface MessagingLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: MessagingLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
