import { OutboxPublisher } from '@switchboard/messaging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConfiguration, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { type ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';
import { type CreateOutcome, DeliveriesRepository, type NewDelivery, type RequestKey } from './deliveries.repository';
import { DeliveryEvents } from './delivery-events';

const T0 = new Date('2099-01-06T15:00:00.000Z');
const WINDOW = [{ start: '2099-01-06T15:00:00.000Z', end: '2099-01-06T20:00:00.000Z' }];
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1_000);

describe('DeliveriesRepository.createOnce: do-not-call check, request key, delivery and events in one statement (PD1.5, PD3.1, PD4.6)', () => {
  let app: ProactiveTestApp;
  let repository: DeliveriesRepository;
  let outbox: OutboxPublisher;
  let configurationId: string;

  beforeAll(async () => {
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
    repository = app.app.get(DeliveriesRepository);
    outbox = app.app.get(OutboxPublisher);
    configurationId = await createConfiguration(app, TENANT_A);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  /** A delivery of `contactId` (the test's own), with a fresh id; `requestHash` stands for the request's fingerprint. */
  function newDelivery(contactId: string, requestHash: string, createdAt = T0, idempotencyKey: string | null = null): NewDelivery {
    return {
      id: randomUUID(),
      tenantId: TENANT_A,
      configurationId,
      phoneNumber: '+12125550123',
      phoneRegion: 'US',
      contactId,
      windows: WINDOW,
      permittedIntervals: WINDOW,
      inputAttributes: { type: 'callback' },
      nextAttemptAt: createdAt,
      idempotencyKey,
      requestHash,
      createdAt,
    };
  }

  const eventsOf = (delivery: NewDelivery) => {
    const events = new DeliveryEvents(outbox);
    const windows = [{ start: T0, end: at(5 * 3_600) }];
    return outbox.rows([events.requested(delivery, windows, delivery.inputAttributes), events.scheduled(delivery, delivery.nextAttemptAt)]);
  };
  const create = (delivery: NewDelivery, key: RequestKey) => repository.createOnce(delivery, key, eventsOf(delivery));
  const fingerprint = (hash: string, periodSeconds = 600): RequestKey => ({ kind: 'request_fingerprint', key: hash, periodSeconds });
  const deliveriesOf = (contactId: string) => app.prisma.delivery.findMany({ where: { contactId }, orderBy: { createdAt: 'asc' } });
  const requestKeysFor = (deliveryIds: string[]) => app.prisma.deliveryRequestKey.count({ where: { deliveryId: { in: deliveryIds } } });
  const outboxTypes = async (deliveryId: string) => (await app.outbox({ key: deliveryId })).map((row) => row.envelope.type.replace('switchboard.proactive.', ''));

  it('PD1.5 24 identical requests at once, without a key: one creates, the other 23 get its id; one delivery with its two events in order', async () => {
    const contact = randomUUID();
    const twins = Array.from({ length: 24 }, () => newDelivery(contact, `hash-${contact}`));

    const outcomes = await Promise.all(twins.map((twin) => create(twin, fingerprint(twin.requestHash))));

    const created = twins.filter((_, index) => outcomes[index]?.kind === 'created');
    expect(created).toHaveLength(1);
    const winner = created[0]?.id as string;
    expect(outcomes.filter((outcome) => outcome.kind !== 'created')).toEqual(Array(23).fill({ kind: 'repeated', deliveryId: winner }));
    expect((await deliveriesOf(contact)).map((row) => row.id)).toEqual([winner]);
    expect(await outboxTypes(winner)).toEqual(['DeliveryRequested', 'DeliveryScheduled']);
  });

  it('PD1.5 different requests at once under one Idempotency-Key: one creates, every other is refused as a reused key, and nothing else is stored', async () => {
    const key: RequestKey = { kind: 'idempotency_key', key: `race-${randomUUID()}` };
    const contacts = Array.from({ length: 8 }, () => randomUUID());
    const requests = contacts.map((contact) => newDelivery(contact, `hash-${contact}`, T0, key.key));

    const outcomes = await Promise.all(requests.map((request) => create(request, key)));

    expect(outcomes.filter((outcome) => outcome.kind === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'keyReused')).toHaveLength(7);
    expect(await app.prisma.delivery.count({ where: { contactId: { in: contacts } } })).toBe(1);
    expect(await requestKeysFor(requests.map((request) => request.id))).toBe(1);
  });

  it('PD1.5 without a key a repeat counts within the period only: after it the request creates anew and later repeats get the new one; a key holds for good', async () => {
    const contact = randomUUID();
    const hash = `hash-${contact}`;
    const first = newDelivery(contact, hash);
    expect(await create(first, fingerprint(hash, 600))).toEqual({ kind: 'created' });
    expect(await create(newDelivery(contact, hash, at(599)), fingerprint(hash, 600))).toEqual({ kind: 'repeated', deliveryId: first.id });

    const second = newDelivery(contact, hash, at(600));
    expect(await create(second, fingerprint(hash, 600))).toEqual({ kind: 'created' });
    expect(await create(newDelivery(contact, hash, at(601)), fingerprint(hash, 600))).toEqual({ kind: 'repeated', deliveryId: second.id });
    // A tenant that shortens its period shortens it for earlier requests too.
    const third = newDelivery(contact, hash, at(602));
    expect(await create(third, fingerprint(hash, 0))).toEqual({ kind: 'created' });
    expect((await deliveriesOf(contact)).map((row) => row.id)).toEqual([first.id, second.id, third.id]);

    const keyed = newDelivery(randomUUID(), 'keyed-hash', T0, `key-${randomUUID()}`);
    const key: RequestKey = { kind: 'idempotency_key', key: keyed.idempotencyKey as string };
    expect(await create(keyed, key)).toEqual({ kind: 'created' });
    expect(await create({ ...keyed, id: randomUUID(), createdAt: at(365 * 86_400) }, key)).toEqual({ kind: 'repeated', deliveryId: keyed.id });
  });

  it('PD1.5 twins arriving together after the period create exactly one new delivery', async () => {
    const contact = randomUUID();
    const hash = `hash-${contact}`;
    const first = newDelivery(contact, hash);
    await create(first, fingerprint(hash));
    const late = Array.from({ length: 8 }, () => newDelivery(contact, hash, at(3_600)));

    const outcomes: CreateOutcome[] = await Promise.all(late.map((twin) => create(twin, fingerprint(hash))));

    const created = late.filter((_, index) => outcomes[index]?.kind === 'created').map((twin) => twin.id);
    expect(created).toHaveLength(1);
    expect((await deliveriesOf(contact)).map((row) => row.id)).toEqual([first.id, ...created]);
  });

  it('PD3.1 a number on the do-not-call list: refused, and no delivery, request key or event is stored; an expired entry no longer refuses', async () => {
    const contact = randomUUID();
    const listed = { ...newDelivery(contact, `hash-${contact}`), phoneNumber: '+12125550187' };
    await app.prisma.doNotCallEntry.create({ data: { tenantId: TENANT_A, phoneNumber: listed.phoneNumber, expiresAt: at(60) } });

    expect(await create(listed, fingerprint(listed.requestHash))).toEqual({ kind: 'numberListed' });
    expect(await deliveriesOf(contact)).toEqual([]);
    expect(await requestKeysFor([listed.id])).toBe(0);
    expect(await app.outbox({ key: listed.id })).toEqual([]);

    const afterExpiry = { ...listed, id: randomUUID(), createdAt: at(60) };
    expect(await create(afterExpiry, fingerprint(listed.requestHash))).toEqual({ kind: 'created' });
  });

  it('PD1.5 / PD3.1 / P1.1 requests arriving together share statements, each with its own outcome: created, repeated, listed; each tenant its own rows', async () => {
    const configurationB = await createConfiguration(app, TENANT_B);
    const listedNumber = '+12125550142';
    await app.prisma.doNotCallEntry.create({ data: { tenantId: TENANT_A, phoneNumber: listedNumber } });
    const contact = randomUUID();
    // Ten distinct requests alternating between the tenants (B's hash equals A's: another tenant's key never
    // answers), one to a listed number, then a twin of the sixth, which waits for the sixth's claim.
    const writes = Array.from({ length: 10 }, (_, i) => {
      const delivery = newDelivery(contact, `batch-${contact}-${Math.floor(i / 2)}`);
      return i % 2 === 0 ? delivery : { ...delivery, tenantId: TENANT_B, configurationId: configurationB };
    });
    writes.push({ ...newDelivery(contact, `batch-${contact}-listed`), phoneNumber: listedNumber });
    writes.push({ ...(writes[5] as NewDelivery), id: randomUUID() });

    const statements = vi.spyOn(app.prisma.sql, 'queryPrepared');
    let outcomes: CreateOutcome[];
    let creates: unknown[];
    try {
      outcomes = await Promise.all(writes.map((delivery) => create(delivery, fingerprint(delivery.requestHash))));
      creates = statements.mock.calls.filter(([name]) => name === 'proactive_delivery.create_many');
    } finally {
      statements.mockRestore();
    }
    // Four start alone; the eight that waited need two statements: the twin cannot share one with the sixth.
    expect(creates).toHaveLength(6);
    expect(outcomes).toEqual([...Array(10).fill({ kind: 'created' }), { kind: 'numberListed' }, { kind: 'repeated', deliveryId: writes[5]?.id }]);
    const stored = await deliveriesOf(contact);
    expect(stored.map((row) => [row.id, row.tenantId]).sort()).toEqual(writes.slice(0, 10).map((w) => [w.id, w.tenantId]).sort());
    for (const write of writes.slice(0, 10)) expect(await outboxTypes(write.id)).toEqual(['DeliveryRequested', 'DeliveryScheduled']);
    expect(await requestKeysFor(writes.slice(10).map((w) => w.id))).toBe(0);
  });
});
