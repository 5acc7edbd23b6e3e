/** The logging surface the messaging code needs; the NestJS wrapper adapts the service logger to it. */
export interface MessagingLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: MessagingLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  // NestJS' RPC layer turns unknown errors into { status, message } objects.
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
