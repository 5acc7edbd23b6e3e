import { describe, expect, it } from 'vitest';
import { SessionPool } from './session-pool';

describe('SFTP session pool (connections kept open and shared)', () => {
  function pool(size: number) {
    let created = 0;
    const destroyed: number[] = [];
    const alive = new Set<number>();
    const sessions = new SessionPool<number>(
      size,
      async () => {
        const id = ++created;
        alive.add(id);
        return id;
      },
      async (id) => {
        alive.delete(id);
        destroyed.push(id);
      },
      (id) => alive.has(id),
    );
    return { sessions, created: () => created, destroyed, alive };
  }

  it('opens at most `size` sessions for many concurrent uses and reuses them', async () => {
    const { sessions, created } = pool(3);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        sessions.use(async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 1));
          running--;
        }, () => false),
      ),
    );
    expect(created()).toBe(3);
    expect(most).toBe(3);
  });

  it('throws a broken session away and opens a new one; a session that died while idle is not handed out', async () => {
    const { sessions, created, destroyed, alive } = pool(1);
    await expect(sessions.use(async () => Promise.reject(new Error('lost')), () => true)).rejects.toThrow('lost');
    expect(destroyed).toEqual([1]);
    expect(await sessions.use(async (id) => id, () => false)).toBe(2);
    alive.delete(2);
    expect(await sessions.use(async (id) => id, () => false)).toBe(3);
    expect(created()).toBe(3);
  });

  it('a failed connect frees its slot for the next caller', async () => {
    let attempts = 0;
    const sessions = new SessionPool<number>(1, async () => (++attempts === 1 ? Promise.reject(new Error('refused')) : attempts), async () => undefined);
    const [first, second] = await Promise.allSettled([sessions.use(async (id) => id, () => false), sessions.use(async (id) => id, () => false)]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({ status: 'fulfilled', value: 2 });
  });
});
