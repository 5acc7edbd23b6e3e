import { Role } from '@switchboard/auth';
import { type ExpectedRefusal, itRefusesEveryRow } from '@switchboard/platform/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createConfiguration, CREATE_PATH, SUPERVISOR, TENANT_A, TENANT_B } from '../test-support/fixtures';
import { ProactiveTestApp, startProactiveTestApp } from '../test-support/test-app';

/** Configurations the rows refer to; made once in beforeAll. */
interface Fixtures {
  configId: string;
  otherTenantConfigId: string;
  disabledConfigId: string;
  noContactHoursConfigId: string;
  bodyLimitBytes: number;
}

type Body = string | Record<string, unknown> | unknown[] | null;

interface BadInputRow extends ExpectedRefusal {
  /** Objects are sent as JSON; strings are sent byte for byte. */
  body: Body | ((fixtures: Fixtures) => Body);
  /** Merged over content-type: application/json and the bearer token. */
  headers?: Record<string, string>;
  roles?: Role[];
  tenantId?: string;
  /** Send no Authorization header at all. */
  anonymous?: boolean;
}

const CONTACT = '761e062f-c734-ef11-8e4f-00224808a166';
const UNKNOWN_CONFIG_ID = '0b5c3f4e-9d8a-4b7c-a6e5-d4c3b2a1f0e9';
const DO_NOT_CALL_NUMBER = '+12125550199';
const DAY_MS = 86_400_000;

/** yyyy-MM-dd of the day `days` from today (UTC). */
const dayFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
/** 14:00–20:00 UTC tomorrow: inside a New York callee's 08:00–21:00 whatever the DST state. */
const tomorrowWindow = () => ({ Start: `${dayFromNow(1)}T14:00:00.000Z`, End: `${dayFromNow(1)}T20:00:00.000Z` });

/** A request that is accepted (the last test proves it); every row breaks exactly one thing in it. */
const validRequest = (fixtures: Fixtures, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ApiVersion: '1.0',
  ProactiveEngagementConfigId: fixtures.configId,
  DestinationPhoneNumber: '+12125550123',
  ContactId: CONTACT,
  Windows: [tomorrowWindow()],
  InputAttributes: { orderNumber: 'ORD123456789', type: 'callback' },
  ...overrides,
});
const withFields = (overrides: Record<string, unknown>) => (fixtures: Fixtures) => validRequest(fixtures, overrides);
const withWindows = (...windows: unknown[]) => withFields({ Windows: windows });
const withWindow = (Start: unknown, End: unknown) => withWindows({ Start, End });
const withAttributes = (attributes: unknown) => withFields({ InputAttributes: attributes });
const withPhone = (number: unknown) => withFields({ DestinationPhoneNumber: number });
/** The valid request as JSON text with `replace` applied: for bodies JSON.stringify cannot produce. */
const validJsonWith = (replace: (json: string) => string) => (fixtures: Fixtures) => replace(JSON.stringify(validRequest(fixtures)));

const ROWS: BadInputRow[] = [
  // --- wrong JSON types, one per field (PD1.2, P2.1) ---
  { name: 'PD1.2 ApiVersion as a number', body: withFields({ ApiVersion: 1 }), status: 400, code: 'BadRequest', fields: ['ApiVersion'], message: /ApiVersion must be a string, not a number/ },
  { name: 'PD1.2 ProactiveEngagementConfigId as a number', body: withFields({ ProactiveEngagementConfigId: 42 }), status: 400, code: 'BadRequest', fields: ['ProactiveEngagementConfigId'] },
  { name: 'PD1.2 DestinationPhoneNumber as a number', body: withPhone(12125550123), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /must be a string, not a number/ },
  { name: 'PD1.2 ContactId as a boolean', body: withFields({ ContactId: true }), status: 400, code: 'BadRequest', fields: ['ContactId'], message: /ContactId must be a string, not a boolean/ },
  { name: 'PD1.2 Windows as an object instead of an array', body: withFields({ Windows: tomorrowWindow() }), status: 400, code: 'BadRequest', fields: ['Windows'], message: /Windows must be an array, not a JSON object/ },
  { name: 'PD1.2 a window given as a string', body: withWindows('2030-01-01T10:00:00.000Z/2030-01-01T11:00:00.000Z'), status: 400, code: 'BadRequest', fields: ['Windows[0]'] },
  { name: 'PD1.2 Windows[0].Start as epoch milliseconds', body: withWindow(Date.now() + DAY_MS, tomorrowWindow().End), status: 400, code: 'BadRequest', fields: ['Windows[0].Start'], message: /must be a string, not a number/ },
  { name: 'PD1.2 Windows[0].End as null', body: withWindow(tomorrowWindow().Start, null), status: 400, code: 'BadRequest', fields: ['Windows[0].End'], message: /must be a string, not null/ },
  { name: 'PD1.2 InputAttributes as an array', body: withAttributes([['type', 'callback']]), status: 400, code: 'BadRequest', fields: ['InputAttributes'] },
  { name: 'PD1.2 InputAttributes as a string', body: withAttributes('type=callback'), status: 400, code: 'BadRequest', fields: ['InputAttributes'] },

  // --- required fields and ApiVersion ---
  { name: 'PD1.2 ApiVersion "2.0" names the supported versions', body: withFields({ ApiVersion: '2.0' }), status: 400, code: 'BadRequest', fields: ['ApiVersion'], message: /"2\.0" is not supported; supported versions: 1\.0/ },
  { name: 'PD1.2/P2.3 ApiVersion of 100 000 characters is quoted back shortened', body: withFields({ ApiVersion: '1'.repeat(100_000) }), status: 400, code: 'BadRequest', fields: ['ApiVersion'], message: /ApiVersion "1{40}…" is not supported/ },
  { name: 'PD1.2 ApiVersion missing', body: (f) => { const { ApiVersion: _dropped, ...rest } = validRequest(f); return rest; }, status: 400, code: 'BadRequest', fields: ['ApiVersion'], message: /ApiVersion is required/ },
  { name: 'PD1.2 ContactId missing', body: (f) => { const { ContactId: _dropped, ...rest } = validRequest(f); return rest; }, status: 400, code: 'BadRequest', fields: ['ContactId'], message: /ContactId is required/ },

  // --- GUID formats ---
  { name: 'PD1.2 ProactiveEngagementConfigId not a GUID', body: withFields({ ProactiveEngagementConfigId: 'callbacks' }), status: 400, code: 'BadRequest', fields: ['ProactiveEngagementConfigId'], message: /must be a GUID/ },
  { name: 'PD1.2 ProactiveEngagementConfigId without dashes', body: withFields({ ProactiveEngagementConfigId: 'cbbac5103e66ef11a6716045bd03d9d8' }), status: 400, code: 'BadRequest', fields: ['ProactiveEngagementConfigId'] },
  { name: 'PD1.2 ContactId in braces', body: withFields({ ContactId: `{${CONTACT}}` }), status: 400, code: 'BadRequest', fields: ['ContactId'] },
  { name: 'PD1.2 ContactId one character short', body: withFields({ ContactId: CONTACT.slice(0, -1) }), status: 400, code: 'BadRequest', fields: ['ContactId'] },
  { name: 'PD1.2 ContactId with a non-hex letter', body: withFields({ ContactId: CONTACT.replace('7', 'g') }), status: 400, code: 'BadRequest', fields: ['ContactId'] },

  // --- phone numbers ---
  { name: 'PD1.2 phone number with letters', body: withPhone('+1 212 FLOWERS'), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'] },
  { name: 'PD1.2 phone number without "+"', body: withPhone('2125550123'), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /must be in international format/ },
  { name: 'PD1.2 phone number with an unknown country code', body: withPhone('+999 555 0123'), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /does not start with a known country calling code/ },
  { name: 'PD1.2 phone number too short', body: withPhone('+1212555'), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /too short/ },
  { name: 'PD1.2 phone number too long', body: withPhone('+1212555012345678'), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /too long/ },
  { name: 'PD1.2 phone number with an extension', body: withPhone('+1 212 555 0123 ext. 7'), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /must not contain an extension/ },
  { name: 'PD1.2/P2.3 phone number of 33 characters', body: withPhone(`+1 212 555 0123${' '.repeat(18)}`), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /at most 32 characters/ },
  { name: 'PD1.2 phone number empty', body: withPhone(''), status: 400, code: 'BadRequest', fields: ['DestinationPhoneNumber'], message: /must not be empty/ },

  // --- timestamps and windows ---
  { name: 'PD1.2 timestamp without milliseconds', body: (f) => withWindow(`${dayFromNow(1)}T14:00:00Z`, tomorrowWindow().End)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].Start'], message: /yyyy-MM-ddTHH:mm:ss\.fffZ/ },
  { name: 'PD1.2 timestamp without Z', body: (f) => withWindow(tomorrowWindow().Start, `${dayFromNow(1)}T20:00:00.000`)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].End'], message: /yyyy-MM-ddTHH:mm:ss\.fffZ/ },
  { name: 'PD1.2 timestamp with an offset instead of Z', body: (f) => withWindow(`${dayFromNow(1)}T14:00:00.000+00:00`, tomorrowWindow().End)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].Start'] },
  { name: 'PD1.2 February 30th', body: (f) => withWindow(`${new Date().getUTCFullYear() + 1}-02-30T10:00:00.000Z`, `${new Date().getUTCFullYear() + 1}-03-01T10:00:00.000Z`)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].Start'], message: /is not a real date and time/ },
  { name: 'PD1.2 End before Start', body: (f) => withWindow(`${dayFromNow(1)}T20:00:00.000Z`, `${dayFromNow(1)}T14:00:00.000Z`)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].End'], message: /must be later than Start/ },
  { name: 'PD1.2 End equal to Start', body: (f) => withWindow(tomorrowWindow().Start, tomorrowWindow().Start)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].End'], message: /must be later than Start/ },
  { name: 'PD1.2 a window wholly in the past', body: (f) => withWindow(`${dayFromNow(-2)}T14:00:00.000Z`, `${dayFromNow(-2)}T20:00:00.000Z`)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].End'], message: /is in the past/ },
  { name: 'PD1.2/P2.3 a window ending more than 366 days ahead', body: (f) => withWindow(tomorrowWindow().Start, `${dayFromNow(368)}T20:00:00.000Z`)(f), status: 400, code: 'BadRequest', fields: ['Windows[0].End'], message: /at most 366 days from now/ },
  { name: 'PD1.2/P2.3 51 windows', body: (f) => withWindows(...Array.from({ length: 51 }, tomorrowWindow))(f), status: 400, code: 'BadRequest', fields: ['Windows'], message: /at most 50 windows, got 51/ },
  { name: 'PD1.2 an empty Windows array', body: withWindows(), status: 400, code: 'BadRequest', fields: ['Windows'], message: /at least 1 window/ },
  { name: 'PD1.2 a window with an extra field', body: (f) => withWindows({ ...tomorrowWindow(), TimeZone: 'UTC' })(f), status: 400, code: 'BadRequest', fields: ['Windows[0].TimeZone'], message: /is not a known field/ },

  // --- InputAttributes ---
  { name: 'PD1.2 an attribute value that is a number', body: withAttributes({ type: 'callback', attempt: 2 }), status: 400, code: 'BadRequest', fields: ['InputAttributes.attempt'], message: /must be a string, not a number/ },
  { name: 'PD1.2 an attribute value that is an object', body: withAttributes({ order: { number: 'ORD1' } }), status: 400, code: 'BadRequest', fields: ['InputAttributes.order'], message: /must be a string, not a JSON object/ },
  { name: 'PD1.2/P2.3 51 attributes', body: withAttributes(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))), status: 400, code: 'BadRequest', fields: ['InputAttributes'], message: /at most 50 attributes, got 51/ },
  { name: 'PD1.2/P2.3 a 101-character attribute key', body: withAttributes({ ['k'.repeat(101)]: 'v' }), status: 400, code: 'BadRequest', fields: ['InputAttributes'], message: /at most 100 characters/ },
  { name: 'PD1.2/P2.3 a 4001-character attribute value', body: withAttributes({ note: 'v'.repeat(4001) }), status: 400, code: 'BadRequest', fields: ['InputAttributes.note'], message: /at most 4000 characters/ },
  { name: 'PD1.2 the attribute key "__proto__"', body: validJsonWith((json) => json.replace('"orderNumber"', '"__proto__"')), status: 400, code: 'BadRequest', fields: ['InputAttributes'], message: /reserved key "__proto__"/ },
  { name: 'PD1.2 InputAttributes nested 100 000 levels deep', body: validJsonWith((json) => json.replace(/"InputAttributes":\{[^}]*\}/, `"InputAttributes":${'['.repeat(100_000)}${']'.repeat(100_000)}`)), status: 400, code: 'BadRequest', fields: ['InputAttributes'] },

  // --- field names ---
  { name: 'PD1.2 an extra top-level field', body: withFields({ Priority: 'high' }), status: 400, code: 'BadRequest', fields: ['Priority'], message: /Priority is not a known field/ },
  {
    name: 'PD1.2 a field name in the wrong case',
    body: (f) => { const { ContactId, ...rest } = validRequest(f); return { ...rest, contactId: ContactId }; },
    status: 400, code: 'BadRequest', fields: ['ContactId', 'contactId'], message: /did you mean "ContactId"\? Field names are case-sensitive/,
  },

  // --- whole bodies (P2.1, P2.3) ---
  // body-parser reads an empty JSON body as {}.
  { name: 'P2.1 an empty body', body: '', status: 400, code: 'BadRequest', fields: ['ApiVersion', 'ProactiveEngagementConfigId', 'DestinationPhoneNumber', 'ContactId'] },
  { name: 'P2.1 an empty JSON object names every required field', body: {}, status: 400, code: 'BadRequest', fields: ['ApiVersion', 'ProactiveEngagementConfigId', 'DestinationPhoneNumber', 'ContactId'] },
  { name: 'P2.1 a JSON null body', body: 'null', status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column 1/ },
  { name: 'P2.1 a JSON array body', body: [], status: 400, code: 'BadRequest', fields: ['(root)'], message: /must be a JSON object, not an array/ },
  { name: 'P2.1 a JSON string body', body: '"CCaaS_CreateProactiveVoiceDelivery"', status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column 1/ },
  { name: 'PD1.4 malformed JSON (trailing comma)', body: validJsonWith((json) => json.replace(/\}$/, ',}')), status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column \d+/ },
  { name: 'PD1.4 truncated JSON', body: validJsonWith((json) => json.slice(0, 40)), status: 400, code: 'BadRequest', message: /^Malformed JSON at line 1, column 41/ },
  { name: 'P2.3 a body one byte over the size limit', body: (f) => overSizedBody(f, f.bodyLimitBytes + 1), status: 413, code: 'PayloadTooLarge', message: /larger than the \d+ bytes allowed/ },
  { name: 'P2.3 a 5 MB body', body: (f) => overSizedBody(f, 5 * 1024 * 1024), status: 413, code: 'PayloadTooLarge' },
  // Only JSON bodies are parsed on this route; anything else reaches validation as "no body".
  { name: 'P2.1 content type text/plain', body: validJsonWith((json) => json), headers: { 'content-type': 'text/plain' }, status: 415, code: 'UnsupportedMediaType', message: /must be JSON/ },
  { name: 'P2.1 no content type at all', body: validJsonWith((json) => json), headers: { 'content-type': '' }, status: 415, code: 'UnsupportedMediaType', message: /must be JSON/ },
  { name: 'P2.1 a form-encoded body', body: 'ApiVersion=1.0&ContactId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UnsupportedMediaType', message: /must be JSON/ },
  { name: 'PD1.1 a complete, valid request sent form-encoded', body: (f) => new URLSearchParams({ ApiVersion: '1.0', ProactiveEngagementConfigId: f.configId, DestinationPhoneNumber: '+12125550123', ContactId: CONTACT }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UnsupportedMediaType' },
  { name: 'P2.1 JSON in an unsupported charset', body: validJsonWith((json) => json), headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, code: 'UnsupportedMediaType', message: /unsupported charset "LATIN1"/ },
  { name: 'P2.1 an unsupported content encoding', body: validJsonWith((json) => json), headers: { 'content-encoding': 'compress' }, status: 415, code: 'UnsupportedMediaType', message: /unsupported content encoding "compress"/ },

  // --- Idempotency-Key (PD1.5) ---
  // The header is the offending field, so details[] must name it (P2.1).
  { name: 'PD1.5 Idempotency-Key with a control character (tab)', body: withFields({}), headers: { 'idempotency-key': 'order\t123' }, status: 400, code: 'BadRequest', fields: ['Idempotency-Key'], message: /1–200 visible ASCII characters/ },
  { name: 'PD1.5 Idempotency-Key with a space', body: withFields({}), headers: { 'idempotency-key': 'order 123' }, status: 400, code: 'BadRequest', fields: ['Idempotency-Key'], message: /1–200 visible ASCII characters/ },
  { name: 'PD1.5 Idempotency-Key of 201 characters', body: withFields({}), headers: { 'idempotency-key': 'k'.repeat(201) }, status: 400, code: 'BadRequest', fields: ['Idempotency-Key'], message: /1–200 visible ASCII characters/ },

  // --- who may call (P1.2, P1.3) ---
  { name: 'P1.3 no token', body: withFields({}), anonymous: true, status: 401, code: 'MissingToken' },
  { name: 'P1.2 a token that is not a JWT', body: withFields({}), headers: { authorization: 'Bearer not-a-jwt' }, status: 401, code: 'InvalidToken' },
  { name: 'P1.3 an Administrator-only token', body: withFields({}), roles: ADMIN, status: 403, code: 'Forbidden' },
  { name: 'P1.3 a token with no roles', body: withFields({}), roles: [], status: 403, code: 'Forbidden' },

  // --- the tenant's data (PD1.2, P1.1, PD2.1, PD3) ---
  { name: "P1.1 another tenant's ProactiveEngagementConfigId", body: (f) => validRequest(f, { ProactiveEngagementConfigId: f.otherTenantConfigId }), status: 404, code: 'ConfigurationNotFound' },
  { name: 'PD1.2 an unknown ProactiveEngagementConfigId', body: withFields({ ProactiveEngagementConfigId: UNKNOWN_CONFIG_ID }), status: 404, code: 'ConfigurationNotFound', message: new RegExp(UNKNOWN_CONFIG_ID) },
  { name: 'PD2.1 a disabled configuration', body: (f) => validRequest(f, { ProactiveEngagementConfigId: f.disabledConfigId }), status: 422, code: 'ConfigurationDisabled' },
  { name: 'PD3.1 a number on the do-not-call list', body: withPhone('+1 (212) 555-0199'), status: 422, code: 'NumberOnDoNotCallList', message: new RegExp(`\\${DO_NOT_CALL_NUMBER}`) },
  { name: 'PD3.2 windows outside the contact hours', body: (f) => validRequest(f, { ProactiveEngagementConfigId: f.noContactHoursConfigId }), status: 422, code: 'NoPermittedContactTime' },
];

/** A valid request padded with one attribute until its JSON is exactly `bytes` long. */
function overSizedBody(fixtures: Fixtures, bytes: number): string {
  const empty = JSON.stringify(validRequest(fixtures, { InputAttributes: { padding: '' } }));
  return JSON.stringify(validRequest(fixtures, { InputAttributes: { padding: 'x'.repeat(bytes - empty.length) } }));
}

/** "256kb" → 262144, as body-parser reads HTTP_BODY_LIMIT. */
function byteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) throw new Error(`not a byte size: ${text}`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(match[1]) * unit);
}

describe('CCaaS_CreateProactiveVoiceDelivery refuses bad input with a specific 4xx and stores nothing (PD1.2, PD1.4, P2.1–P2.3)', () => {
  let app: ProactiveTestApp;
  let fixtures: Fixtures;

  beforeAll(async () => {
    // The dispatcher stays idle: nothing here should ever become due.
    app = await startProactiveTestApp({ DISPATCH_POLL_MS: '60000' });
    const noHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    fixtures = {
      configId: await createConfiguration(app, TENANT_A),
      otherTenantConfigId: await createConfiguration(app, TENANT_B),
      disabledConfigId: await createConfiguration(app, TENANT_A, { name: 'Paused', enabled: false }),
      noContactHoursConfigId: await createConfiguration(app, TENANT_A, { name: 'Never', contactHours: noHours }),
      bodyLimitBytes: byteSize(app.config.HTTP_BODY_LIMIT),
    };
    const listed = await app.call('/proactive/do-not-call', { method: 'POST', tenantId: TENANT_A, roles: ADMIN, body: JSON.stringify({ phoneNumber: DO_NOT_CALL_NUMBER }) });
    expect(listed.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  async function send(row: BadInputRow): Promise<Response> {
    const body = typeof row.body === 'function' ? row.body(fixtures) : row.body;
    const authorization: Record<string, string> = row.anonymous ? {} : { authorization: `Bearer ${await app.token(row.tenantId ?? TENANT_A, row.roles ?? SUPERVISOR)}` };
    const headers: Record<string, string> = { 'content-type': 'application/json', ...authorization, ...row.headers };
    // An empty content-type means "send none"; bytes keep fetch from adding text/plain itself.
    if (headers['content-type'] === '') delete headers['content-type'];
    const payload = typeof body === 'string' ? new TextEncoder().encode(body) : JSON.stringify(body);
    return fetch(`${app.url}${CREATE_PATH}`, { method: 'POST', headers, body: payload });
  }

  const storedCounts = async () => ({ deliveries: await app.prisma.delivery.count(), outbox: (await app.outbox()).length });

  itRefusesEveryRow(ROWS, send, storedCounts);

  // Last, because it stores a delivery: proves the rows fail only for what each one breaks.
  it('PD1.3 the unbroken request every row starts from is accepted', async () => {
    const response = await send({ name: 'control', body: withFields({}), status: 200, code: '' });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(((await response.json()) as { DeliveryId: string }).DeliveryId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
