/** One switch and address: the tenant's global one, or a queue's (CS6.1). */
export interface EmailSwitch {
  enabled: boolean;
  address?: string | null;
}

/**
 * Where a session's outcome e-mail goes (CS6.1), exactly as the table says:
 *
 * | global | queue | result |
 * |---|---|---|
 * | off | off | no mail |
 * | off | on | the queue's address |
 * | on | off | the queue inherits: the global address |
 * | on | on | the queue's address overrides |
 *
 * A queue without settings is "off". An empty resulting address sends nothing (undefined).
 */
export function outcomeEmailRecipient(global: EmailSwitch, queue: EmailSwitch | undefined): string | undefined {
  const address = queue?.enabled ? queue.address : global.enabled ? global.address : undefined;
  const trimmed = address?.trim();
  return trimmed ? trimmed : undefined;
}
