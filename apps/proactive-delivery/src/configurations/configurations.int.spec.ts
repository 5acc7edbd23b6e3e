import { Role } from '@switchboard/auth';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Clock } from '@switchboard/clock';
import { Dispatcher } from '../dispatch/dispatcher.service';
import { configurationExample } from './configuration.example';
import { ADMIN, CREATE_PATH, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';
import { SimulatorVoiceRuntime } from '../voice-runtime/simulator-voice-runtime';

const PATH = '/proactive/configurations';
const AGENT = [Role.OmnichannelAgent];
const CONTACT = '761e062f-c734-ef11-8e4f-00224808a166';
const UNKNOWN_ID = '0b5c3f4e-9d8a-4b7c-a6e5-d4c3b2a1f0e9';
const allDay = [{ start: '00:00', end: '24:00' }];

/** A complete configuration as an administrator might type it: national punctuation, a zone alias, unsorted dates. */
const configurationInput = (overrides: Record<string, unknown> = {}) => ({
  ...configurationExample,
  outboundProfile: { callerIdNumber: '+1 (212) 555-0100', providerName: 'simulator' },
  timeZone: 'US/Eastern',
  contactHours: { ...configurationExample.contactHours, sat: [{ start: '10:00', end: '14:00' }] },
  blackoutDates: ['2099-12-25', '2099-07-04'],
  ...overrides,
});

interface ConfigurationView {
  id: string;
  name: string;
  enabled: boolean;
  dialingMode: string;
  workflowId: string;
  outboundProfile: { callerIdNumber: string; providerName: string };
  maxAttempts: number;
  retryIntervalsSeconds: Record<string, number>;
  timeZone: string;
  contactHours: Record<string, { start: string; end: string }[]>;
  blackoutDates: string[];
  calleeLocalHours: { start: string; end: string };
  frequencyCap: { maxAttempts: number; periodHours: number } | null;
  createdAt: string;
  updatedAt: string;
}

interface ErrorAnswer {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

describe('proactive engagement configurations CRUD (PD2.1, PD2.2, P1.1, P1.3)', () => {
  let app: ProactiveTestApp;

  beforeAll(async () => {
    // Dispatch only when a test asks for it (runOnce); outcomes are reported at once.
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000', VOICE_SIMULATOR_OUTCOME_DELAY_MS: '0' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  function request(method: string, path: string, options: { body?: unknown; tenantId?: string; roles?: Role[] } = {}): Promise<Response> {
    return app.call(path, {
      method,
      tenantId: options.tenantId ?? TENANT_A,
      roles: options.roles ?? ADMIN,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  }

  async function json<T>(response: Response, status: number): Promise<T> {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return JSON.parse(text) as T;
  }

  const create = async (overrides: Record<string, unknown> = {}, tenantId = TENANT_A) =>
    json<ConfigurationView>(await request('POST', PATH, { body: configurationInput(overrides), tenantId }), 201);
  const read = async (id: string) => json<ConfigurationView>(await request('GET', `${PATH}/${id}`), 200);
  const list = async (tenantId = TENANT_A, roles: Role[] = ADMIN) => (await json<{ items: ConfigurationView[] }>(await request('GET', PATH, { tenantId, roles }), 200)).items;
  const errorOf = async (response: Response, status: number) => (await json<ErrorAnswer>(response, status)).error;
  const fieldsOf = (error: ErrorAnswer['error']) => (error.details ?? []).map((detail) => detail.field);

  describe('create, read, list (PD2.1)', () => {
    it('PD2.1 create answers 201 echoing the configuration normalised: E.164 caller id, canonical time zone, sorted dates, defaults', async () => {
      const created = await create();
      expect(created).toEqual({
        ...configurationInput(),
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        outboundProfile: { callerIdNumber: '+12125550100', providerName: 'simulator' },
        timeZone: 'America/New_York',
        blackoutDates: ['2099-07-04', '2099-12-25'],
        enabled: true,
        frequencyCap: null,
        calleeLocalHours: { start: '08:00', end: '21:00' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Date.parse(created.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(await read(created.id)).toEqual(created);
    });

    it('PD2.1 the list holds every configuration of the tenant; supervisors may read the list and one configuration', async () => {
      const first = await create({ name: 'List me 1' });
      const second = await create({ name: 'List me 2' });
      const ids = (await list()).map((configuration) => configuration.id);
      expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
      expect((await list(TENANT_A, SUPERVISOR)).map((configuration) => configuration.id)).toEqual(ids);
      expect(await json<ConfigurationView>(await request('GET', `${PATH}/${first.id}`, { roles: SUPERVISOR }), 200)).toEqual(first);
    });

    it('PD2.1 an invalid create answers 400 naming each offending field and stores nothing', async () => {
      const before = (await list()).length;
      const error = await errorOf(await request('POST', PATH, { body: configurationInput({ maxAttempts: 0, timeZone: 'Mars/Olympus', colour: 'red' }) }), 400);
      expect(error.code).toBe('BadRequest');
      expect(fieldsOf(error).sort()).toEqual(['colour', 'maxAttempts', 'timeZone']);
      expect((await list()).length).toBe(before);
    });

    it('PD2.1 an unknown providerName answers 400 naming outboundProfile.providerName and stores nothing', async () => {
      const before = (await list()).length;
      const error = await errorOf(await request('POST', PATH, { body: configurationInput({ outboundProfile: { callerIdNumber: '+12125550100', providerName: 'twilio' } }) }), 400);
      expect(fieldsOf(error)).toEqual(['outboundProfile.providerName']);
      expect(error.message).toMatch(/unknown voice runtime "twilio" \(available: .*simulator/);
      expect((await list()).length).toBe(before);
    });

    it('PD2.2 both dialing modes are accepted; any other is refused naming dialingMode', async () => {
      expect((await create({ dialingMode: 'customer_first' })).dialingMode).toBe('customer_first');
      expect((await create({ dialingMode: 'agent_first' })).dialingMode).toBe('agent_first');
      for (const mode of ['predictive', 'AGENT_FIRST', 'agent-first', '', 1]) {
        const error = await errorOf(await request('POST', PATH, { body: configurationInput({ dialingMode: mode }) }), 400);
        expect(fieldsOf(error), `dialingMode ${JSON.stringify(mode)}`).toEqual(['dialingMode']);
      }
    });
  });

  describe('PATCH (PD2.1)', () => {
    it('PD2.1 PATCH changes only the fields given and echoes them normalised', async () => {
      const original = await create({ name: 'Before patch' });
      const patched = await json<ConfigurationView>(
        await request('PATCH', `${PATH}/${original.id}`, { body: { name: 'After patch', timeZone: 'GB', enabled: false, frequencyCap: { maxAttempts: 2, periodHours: 24 } } }),
        200,
      );
      expect(patched).toEqual({
        ...original,
        name: 'After patch',
        timeZone: 'Europe/London',
        enabled: false,
        frequencyCap: { maxAttempts: 2, periodHours: 24 },
        updatedAt: expect.any(String),
      });
      expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(original.updatedAt));
      expect(await read(original.id)).toEqual(patched);
    });

    it('PD2.1 nested objects are replaced whole, never merged', async () => {
      const original = await create({ name: 'Nested', frequencyCap: { maxAttempts: 5, periodHours: 48 } });
      const contactHours = { mon: allDay, tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
      const retryIntervalsSeconds = { busy: 60, no_answer: 60, voicemail: 60, failed: 60 };
      const patched = await json<ConfigurationView>(await request('PATCH', `${PATH}/${original.id}`, { body: { contactHours, retryIntervalsSeconds, frequencyCap: null } }), 200);
      // Saturday had hours before: a merge would have kept them.
      expect(patched.contactHours).toEqual(contactHours);
      expect(patched.retryIntervalsSeconds).toEqual(retryIntervalsSeconds);
      expect(patched.frequencyCap).toBeNull();
      expect(patched.outboundProfile).toEqual(original.outboundProfile);
    });

    it('PD2.1 a partial nested object is refused naming the missing fields, and nothing changes', async () => {
      const original = await create({ name: 'Partial nested' });
      const error = await errorOf(
        await request('PATCH', `${PATH}/${original.id}`, { body: { name: 'Should not stick', contactHours: { mon: allDay }, outboundProfile: { callerIdNumber: '+12125550111' } } }),
        400,
      );
      expect(fieldsOf(error).sort()).toEqual(['contactHours.fri', 'contactHours.sat', 'contactHours.sun', 'contactHours.thu', 'contactHours.tue', 'contactHours.wed', 'outboundProfile.providerName']);
      expect(await read(original.id)).toEqual(original);
    });

    it('PD2.1 an invalid PATCH answers 400 naming the field and changes nothing, not even its valid fields', async () => {
      const original = await create({ name: 'Invalid patch' });
      const cases: [unknown, string[]][] = [
        [{ name: 'Renamed', maxAttempts: 0 }, ['maxAttempts']],
        [{ dialingMode: 'predictive' }, ['dialingMode']],
        [{ outboundProfile: { callerIdNumber: '2125550100', providerName: 'simulator' } }, ['outboundProfile.callerIdNumber']],
        [{ timeZone: '+02:00' }, ['timeZone']],
        [{ contactHours: { ...configurationInput().contactHours, mon: [{ start: '17:00', end: '09:00' }] } }, ['contactHours.mon[0].end']],
        [{ blackoutDates: ['2099-02-30'] }, ['blackoutDates[0]']],
        [{ Name: 'wrong case' }, ['Name']],
        [{ id: UNKNOWN_ID }, ['id']],
        [{}, ['(root)']],
      ];
      for (const [body, fields] of cases) {
        const error = await errorOf(await request('PATCH', `${PATH}/${original.id}`, { body }), 400);
        expect(fieldsOf(error), JSON.stringify(body)).toEqual(fields);
      }
      expect(await read(original.id)).toEqual(original);
    });

    it('PD2.1 PATCH to an unknown providerName answers 400 naming outboundProfile.providerName and changes nothing', async () => {
      const original = await create({ name: 'Provider patch' });
      const error = await errorOf(
        await request('PATCH', `${PATH}/${original.id}`, { body: { name: 'Renamed', outboundProfile: { callerIdNumber: '+12125550100', providerName: 'twilio' } } }),
        400,
      );
      expect(fieldsOf(error)).toEqual(['outboundProfile.providerName']);
      expect(await read(original.id)).toEqual(original);
    });

    it('PD2.1 PATCH of an unknown id answers 404', async () => {
      const error = await errorOf(await request('PATCH', `${PATH}/${UNKNOWN_ID}`, { body: { name: 'Ghost' } }), 404);
      expect(error.code).toBe('ConfigurationNotFound');
    });
  });

  describe('DELETE (PD2.1)', () => {
    it('PD2.1 DELETE answers 204; afterwards the configuration is gone from get, list, patch and delete (404)', async () => {
      const doomed = await create({ name: 'Doomed' });
      const deleted = await request('DELETE', `${PATH}/${doomed.id}`);
      expect(deleted.status, await deleted.clone().text()).toBe(204);
      expect(await deleted.text()).toBe('');
      expect((await errorOf(await request('GET', `${PATH}/${doomed.id}`), 404)).code).toBe('ConfigurationNotFound');
      expect((await list()).map((configuration) => configuration.id)).not.toContain(doomed.id);
      expect((await request('PATCH', `${PATH}/${doomed.id}`, { body: { name: 'Back' } })).status).toBe(404);
      expect((await errorOf(await request('DELETE', `${PATH}/${doomed.id}`), 404)).code).toBe('ConfigurationNotFound');
    });

    it('PD2.1 DELETE of a configuration that deliveries reference answers 409 ConfigurationInUse and keeps it', async () => {
      const used = await create({ name: 'In use', contactHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } });
      const delivery = await app.call(CREATE_PATH, {
        method: 'POST',
        tenantId: TENANT_A,
        roles: SUPERVISOR,
        body: JSON.stringify({ ApiVersion: '1.0', ProactiveEngagementConfigId: used.id, DestinationPhoneNumber: '+12125550140', ContactId: CONTACT }),
      });
      expect(delivery.status, await delivery.clone().text()).toBe(200);
      const error = await errorOf(await request('DELETE', `${PATH}/${used.id}`), 409);
      expect(error.code).toBe('ConfigurationInUse');
      expect(error.message).toMatch(/enabled: false/);
      expect(await read(used.id)).toEqual(used);
    });
  });

  describe('tenants and roles (P1.1, P1.3)', () => {
    it("P1.1 tenant B gets 404 for tenant A's configuration on get, patch and delete, and A's stays unchanged", async () => {
      const mine = await create({ name: 'Tenant A only' });
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Taken over' }], ['DELETE']] as const) {
        const error = await errorOf(await request(method, `${PATH}/${mine.id}`, { tenantId: TENANT_B, body }), 404);
        expect(error.code, method).toBe('ConfigurationNotFound');
      }
      expect(await read(mine.id)).toEqual(mine);
    });

    it("P1.1 tenant B's list holds only its own configurations", async () => {
      const ofA = await create({ name: 'Listed for A' });
      const ofB = await create({ name: 'Listed for B' }, TENANT_B);
      const listB = (await list(TENANT_B)).map((configuration) => configuration.id);
      expect(listB).toContain(ofB.id);
      expect(listB).not.toContain(ofA.id);
      expect((await list(TENANT_A)).map((configuration) => configuration.id)).not.toContain(ofB.id);
    });

    it('P1.3 agents may neither create nor read; supervisors may not change; both answer 403 and store nothing', async () => {
      const existing = await create({ name: 'Roles' });
      const before = (await list()).length;
      const forbidden: [string, string, Role[], unknown?][] = [
        ['POST', PATH, AGENT, configurationInput()],
        ['POST', PATH, SUPERVISOR, configurationInput()],
        ['GET', PATH, AGENT],
        ['GET', `${PATH}/${existing.id}`, AGENT],
        ['PATCH', `${PATH}/${existing.id}`, SUPERVISOR, { name: 'Supervised' }],
        ['DELETE', `${PATH}/${existing.id}`, SUPERVISOR],
      ];
      for (const [method, path, roles, body] of forbidden) {
        const error = await errorOf(await request(method, path, { roles, body }), 403);
        expect(error.code, `${method} ${path} as ${roles.join()}`).toBe('Forbidden');
      }
      expect((await list()).length).toBe(before);
      expect(await read(existing.id)).toEqual(existing);
    });

    it('P1.3 no token answers 401 on create and list', async () => {
      const anonymousCreate = await fetch(`${app.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(configurationInput()) });
      expect(anonymousCreate.status).toBe(401);
      expect((await fetch(`${app.url}${PATH}`)).status).toBe(401);
    });

    it('PD2.1 an id in the path that is not a GUID answers 400 on get, patch and delete', async () => {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) {
        const error = await errorOf(await request(method, `${PATH}/not-a-guid`, { body }), 400);
        expect(error.message, method).toMatch(/must be a GUID/);
      }
    });
  });

  describe('the dialing mode travels with the dial request (PD2.2)', () => {
    // Tuesday 2099-01-06, 15:00 UTC = 10:00 in New York: inside every contact-hour rule used here.
    const NOW = new Date('2099-01-06T15:00:00.000Z');

    /** A delivery due at once (no Windows), dispatched in one round; returns its dial request. */
    async function dialThrough(configurationId: string, phoneNumber: string) {
      const response = await app.call(CREATE_PATH, {
        method: 'POST',
        tenantId: TENANT_A,
        roles: SUPERVISOR,
        body: JSON.stringify({ ApiVersion: '1.0', ProactiveEngagementConfigId: configurationId, DestinationPhoneNumber: phoneNumber, ContactId: CONTACT }),
      });
      const { DeliveryId } = await json<{ DeliveryId: string }>(response, 200);
      expect(await app.app.get(Dispatcher).runOnce(NOW)).toBeGreaterThanOrEqual(1);
      const simulator = app.app.get(SimulatorVoiceRuntime);
      await simulator.idle();
      return simulator.dials().find((dial) => dial.deliveryId === DeliveryId);
    }

    it('PD2.2 an agent_first configuration dials with dialingMode agent_first; after a PATCH, with the new mode', async () => {
      vi.spyOn(app.app.get(Clock), 'now').mockReturnValue(NOW);
      const configuration = await create({ name: 'Agent first', dialingMode: 'agent_first', workflowId: 'sales-queue' });

      expect(await dialThrough(configuration.id, '+12125550150')).toMatchObject({ configurationId: configuration.id, dialingMode: 'agent_first', workflowId: 'sales-queue', callerIdNumber: '+12125550100' });

      await json(await request('PATCH', `${PATH}/${configuration.id}`, { body: { dialingMode: 'customer_first' } }), 200);
      expect(await dialThrough(configuration.id, '+12125550160')).toMatchObject({ configurationId: configuration.id, dialingMode: 'customer_first' });
    });
  });
});
