import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { SERVER_URL } from './migrate/test-support/scratch-databases';
import { listenForNotifications } from './notifications';

const pool = new pg.Pool({ connectionString: SERVER_URL, max: 4 });
afterAll(() => pool.end());

const uniqueChannel = () => `test_notify_${randomBytes(5).toString('hex')}`;
const notify = (channel: string) => pool.query('SELECT pg_notify($1, $2)', [channel, '']);
const listeningBackends = async (channel: string) =>
  (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`])).rows.map((row) => row.pid);

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('listenForNotifications', () => {
  it('hears NOTIFY on its channel, and after a lost connection reports it, reconnects and hears again', async () => {
    const channel = uniqueChannel();
    const errors: Error[] = [];
    let heard = 0;
    const listener = await listenForNotifications(pool, channel, () => heard++, (error) => errors.push(error));
    try {
      heard = 0; // the listener's own call after LISTEN
      await notify(channel);
      await until(() => heard > 0, 'the first notification');

      const [pid] = await listeningBackends(channel);
      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await until(() => errors.length > 0, 'the lost connection reported');
      await until(async () => (await listeningBackends(channel)).length === 1, 'a new LISTEN connection');
      heard = 0;
      await notify(channel);
      await until(() => heard > 0, 'a notification after reconnecting');
    } finally {
      await listener.close();
    }
  });

  it('ends its connection on close instead of pooling it, so a later server-side end of it throws nothing', async () => {
    const channel = uniqueChannel();
    const listener = await listenForNotifications(pool, channel, () => undefined);
    const [pid] = await listeningBackends(channel);
    await listener.close();
    await until(async () => (await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0, 'the connection ended');
  });
});
