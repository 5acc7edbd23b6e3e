import type pg from 'pg';
import { quoteIdentifier } from './sql';

export interface NotificationListener {
  /** Ends the LISTEN and gives its connection back. */
  close(): Promise<void>;
}

const RECONNECT_DELAY_MS = 1_000;

/**
 * LISTEN on `channel` over a connection of its own from `pool`, calling `onNotify` with the payload of every
 * NOTIFY. A lost connection is replaced (after a second); while it is gone, nothing is heard, so callers keep
 * a slow poll as well, and each (re)connection calls `onNotify` once without a payload: "you may have missed
 * something". `onError` hears connection failures (they are not fatal).
 */
export async function listenForNotifications(
  pool: pg.Pool,
  channel: string,
  onNotify: (payload?: string) => void,
  onError: (error: Error) => void = () => undefined,
): Promise<NotificationListener> {
  let closed = false;
  let client: pg.PoolClient | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    try {
      const connection = await pool.connect();
      connection.on('notification', (message) => message.channel === channel && onNotify(message.payload ?? ''));
      connection.on('error', (error) => {
        onError(error);
        connection.release(error);
        if (client === connection) client = undefined;
        scheduleReconnect();
      });
      await connection.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (closed) return connection.release();
      client = connection;
      onNotify(); // rows may have arrived while nobody listened
    } catch (error) {
      onError(error as Error);
      scheduleReconnect();
    }
  };
  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, RECONNECT_DELAY_MS);
    retry.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const connection = client;
      client = undefined;
      if (!connection) return;
      await connection.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => undefined);
      connection.release();
    },
  };
}
