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
  let retry: NodeJS.Timeout | undefined;
  let release: (reason: Error | boolean) => void = () => undefined;

  const connect = async (): Promise<void> => {
    let giveBack: (reason: Error | boolean) => void = () => undefined;
    try {
      const connection = await pool.connect();
      // Released once: a connection given back (or ended) may still emit 'error' later, e.g. when the
      // server goes away, and releasing it a second time throws from inside the event.
      let released = false;
      giveBack = (reason) => {
        if (released) return;
        released = true;
        connection.release(reason);
      };
      connection.on('notification', (message) => !released && message.channel === channel && onNotify(message.payload ?? ''));
      connection.on('error', (error) => {
        if (released) return;
        onError(error);
        giveBack(error);
        scheduleReconnect();
      });
      await connection.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (closed) return giveBack(true);
      release = giveBack;
      onNotify(); // rows may have arrived while nobody listened
    } catch (error) {
      giveBack(error as Error); // a LISTEN that failed: its connection is not reused
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
      // Ended, not pooled: a connection that has listened is not handed to other work.
      release(true);
    },
  };
}
