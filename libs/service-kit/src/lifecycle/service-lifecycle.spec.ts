import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ServiceLifecycle } from './service-lifecycle';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));

describe('ServiceLifecycle.giveWayToRequests (background loops give way to requests)', () => {
  it('waits while a request is in flight and ends as soon as none is', async () => {
    const lifecycle = new ServiceLifecycle();
    const res = response();
    lifecycle.track(res);
    const giveWay = lifecycle.giveWayToRequests(60_000);
    let ended: boolean | undefined;
    void giveWay?.().then((idle) => (ended = idle));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended).toBeUndefined();
    res.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(true);
  });

  it('waits no longer than its bound while requests keep coming', async () => {
    const lifecycle = new ServiceLifecycle();
    lifecycle.track(response());
    const started = Date.now();
    expect(await lifecycle.giveWayToRequests(50)?.()).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('is none at 0: the loop never waits', () => {
    expect(new ServiceLifecycle().giveWayToRequests(0)).toBeUndefined();
  });
});
