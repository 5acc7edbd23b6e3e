import { ALL_ROLES, signBody } from '@switchboard/auth';
import { eventually, type S3Server, startS3Server } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceName, SERVICES } from '../stack/services';
import { daytimeNumber } from './support/daytime-number';
import type { OpenApiDocument } from './support/openapi-walk';
import { startTestStack, type TestStack } from './support/test-stack';

const TENANT_A = 'aaaaaaaa-1111-4000-8000-00000000000a';
const TENANT_B = 'bbbbbbbb-2222-4000-8000-00000000000b';
/** Every role, for both tenants: a refusal below then comes from the tenant boundary, never from a missing role. */
const ROLES = [...ALL_ROLES];
/** Written into tenant A's data wherever a name or text goes, so that any leak into tenant B's answers is visible. */
const MARK = 'tenant-a-only-7c1e';
/** Tenant A's session: B names it in paths, so it carries no MARK (a refusal may echo it). */
const SESSION = 'session-of-tenant-a-5e2f';
const INGRESS_SECRET = `ingress-secret-of-tenant-a-${MARK}-0123456789`;

/**
 * One tenant boundary across the five services (issue: the whole system): for every operation every service
 * documents, tenant B — holding every role — asks about tenant A's resources (A's ids in the path, the documented
 * example as body). B is refused (403/404), sees none of A's data in lists and settings, and afterwards every one of
 * A's resources reads exactly as before. An operation added to a service without a line in OPERATIONS fails the test.
 */
describe('tenant B never reaches tenant A (every documented operation of every service)', () => {
  let stack: TestStack;
  let s3: S3Server;
  let documents: Map<ServiceName, OpenApiDocument>;
  /** Tenant A's resource ids by path parameter, per service. */
  const ids: Record<string, string> = {};

  const call = (service: ServiceName, tenantId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    stack.call(service, path, {
      tenantId,
      roles: ROLES,
      method,
      headers,
      ...(body !== undefined && {
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    });
  async function asA<T = { id: string }>(service: ServiceName, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const response = await call(service, TENANT_A, method, path, body, headers);
    const text = await response.text();
    expect(response.status, `${service} ${method} ${path}: ${text}`).toBeLessThan(300);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const example = (service: ServiceName, method: string, path: string): Record<string, unknown> => {
    const content = documents.get(service)?.paths[path]?.[method]?.requestBody?.content?.['application/json'];
    const documented = content?.example ?? (Object.values(content?.examples ?? {})[0] as { value?: unknown } | undefined)?.value;
    return structuredClone((documented ?? {}) as Record<string, unknown>);
  };

  beforeAll(async () => {
    s3 = await startS3Server();
    stack = await startTestStack(
      SERVICES.map((s) => s.name),
      {
        OUTBOUND_HTTP_ALLOW: '127.0.0.1',
        DISPATCH_POLL_MS: '60000',
        SEND_POLL_MS: '60000',
      },
    );
    documents = new Map(
      await Promise.all(SERVICES.map(async ({ name }) => [name, (await (await fetch(`${stack.url(name)}/openapi.json`)).json()) as OpenApiDocument] as const)),
    );
    await seedTenantA();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await s3?.stop();
  });

  /** One resource of every kind for tenant A, through the same APIs, each carrying MARK. */
  async function seedTenantA(): Promise<void> {
    const pd = 'proactive-delivery';
    const configuration = {
      ...example(pd, 'post', '/proactive/configurations'),
      name: `callbacks ${MARK}`,
    };
    ids['pd:configuration'] = (await asA(pd, 'POST', '/proactive/configurations', configuration)).id;
    await asA(pd, 'POST', '/proactive/do-not-call', {
      ...example(pd, 'post', '/proactive/do-not-call'),
      reason: MARK,
    });
    await asA(pd, 'PUT', '/proactive/settings', example(pd, 'put', '/proactive/settings'));
    const allDay = [{ start: '00:00', end: '24:00' }];
    const everyDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, allDay]));
    await asA(pd, 'PATCH', `/proactive/configurations/${ids['pd:configuration']}`, { timeZone: 'UTC', contactHours: everyDay, blackoutDates: [] });
    const delivery = {
      ApiVersion: '1.0',
      ProactiveEngagementConfigId: ids['pd:configuration'],
      DestinationPhoneNumber: daytimeNumber(),
      ContactId: randomUUID(),
      InputAttributes: { type: MARK },
    };
    ids['pd:delivery'] = (await asA<{ DeliveryId: string }>(pd, 'POST', '/api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery', delivery)).DeliveryId;

    const om = 'outbound-messaging';
    ids['om:template'] = (
      await asA(om, 'POST', '/outbound/templates', {
        name: `template ${MARK}`,
        channelType: 'sms',
        defaultLocale: 'en-US',
        versions: { 'en-US': { text: `Hi {{CustomerName}}, ${MARK}` } },
      })
    ).id;
    ids['om:channel'] = (
      await asA(om, 'POST', '/outbound/channels', {
        name: `channel ${MARK}`,
        channelType: 'sms',
        provider: 'simulator',
        sender: '72345',
      })
    ).id;
    const omConfiguration = {
      ...example(om, 'post', '/outbound/configurations'),
      name: `configuration ${MARK}`,
      showInTimeline: false,
      channelId: ids['om:channel'],
      templateId: ids['om:template'],
    };
    ids['om:configuration'] = (await asA(om, 'POST', '/outbound/configurations', omConfiguration)).id;
    ids['om:rule'] = (
      await asA(om, 'POST', '/outbound/rules', {
        ...example(om, 'post', '/outbound/rules'),
        name: `rule ${MARK}`,
        configurationId: ids['om:configuration'],
      })
    ).id;
    ids['om:schedule'] = (
      await asA(om, 'POST', '/outbound/schedules', {
        ...example(om, 'post', '/outbound/schedules'),
        name: `schedule ${MARK}`,
        configurationId: ids['om:configuration'],
      })
    ).id;
    const invoke = example(om, 'post', '/api/data/v9.2/msdyn_InvokeOutboundAPI');
    const invoked = await asA<{ ContactList: { messageId?: string }[] }>(om, 'POST', '/api/data/v9.2/msdyn_InvokeOutboundAPI', {
      ...invoke,
      msdyn_ocoutboundconfigurationid: ids['om:configuration'],
    });
    ids['om:message'] = invoked.ContactList[0]?.messageId ?? '';
    expect(ids['om:message']).not.toBe('');

    const crm = 'crm-sync';
    await asA(crm, 'PUT', '/crm/custom/settings', {
      ...example(crm, 'put', '/crm/custom/settings'),
      auth: { type: 'basic', username: MARK, password: `password ${MARK}` },
    });
    await asA(crm, 'PUT', '/crm/session-flows/settings', example(crm, 'put', '/crm/session-flows/settings'));
    await asA(crm, 'PUT', '/crm/outcome-email/settings', {
      ...example(crm, 'put', '/crm/outcome-email/settings'),
      subject: `Outcome ${MARK}`,
    });
    await asA(crm, 'PUT', '/crm/dynamics/settings', {
      ...example(crm, 'put', '/crm/dynamics/settings'),
      agentQueue: `Queue ${MARK}`,
    });
    await asA(crm, 'PUT', '/crm/case-events/secret', {
      secret: `case-events-secret-${MARK}-0123456789`,
    });

    const se = 'storage-export';
    const destination = {
      backend: 's3',
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: 'exports',
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    };
    await asA(se, 'POST', '/storage-export/settings/connect', {
      ...example(se, 'post', '/storage-export/settings/connect'),
      folderPath: MARK,
      destination,
    });
    const upload = await asA<{ fileId?: string; id?: string }>(se, 'PUT', `/sessions/${SESSION}/files/transcript/chat-${SESSION}.txt`, `Agent: ${MARK}`, {
      'content-type': 'text/plain',
    });
    ids['se:file'] = upload.fileId ?? upload.id ?? '';

    const eb = 'event-bridge';
    await asA(eb, 'PUT', '/admin/ingress-secret', { secret: INGRESS_SECRET });
    const started = {
      ...example(eb, 'post', '/contact-sessions/events'),
      sessionId: SESSION,
    };
    const body = JSON.stringify(started);
    const signed = await fetch(`${stack.url(eb)}/contact-sessions/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchboard-tenant': TENANT_A,
        'x-switchboard-signature': signBody(INGRESS_SECRET, body),
      },
      body,
    });
    expect(signed.status, await signed.clone().text()).toBeLessThan(300);
    // The session reaches crm-sync through Kafka; its flow's CRM calls are part of what A's snapshot reads.
    await eventually(
      async () => {
        const calls = await call('crm-sync', TENANT_A, 'GET', `/crm/sessions/${SESSION}/calls`);
        await calls.text();
        return calls.status === 200 ? true : undefined;
      },
      "crm-sync's CRM calls for A's session",
      60_000,
    );
  }

  /**
   * How tenant B is asked about each operation. `resource`: A's ids go in the path, B must be refused (403/404).
   * `own`: B works on its own data of that kind (a list, a tenant's settings, a create): allowed, but B's answer holds
   * nothing of A's. `outside`: not a tenant's API (health, the page script, signed webhooks whose tenant is the
   * signature's), with the reason.
   */
  const OPERATIONS: Record<string, { kind: 'resource' | 'own' } | { kind: 'outside'; why: string }> = {
    'proactive-delivery GET /health/live': { kind: 'outside', why: 'health' },
    'proactive-delivery GET /health/ready': { kind: 'outside', why: 'health' },
    'proactive-delivery POST /proactive/voice-runtime/outcomes': {
      kind: 'outside',
      why: "the voice runtime's signed webhook; attempts are found by their unguessable id",
    },
    'proactive-delivery POST /proactive/do-not-call': { kind: 'own' },
    'proactive-delivery GET /proactive/do-not-call': { kind: 'own' },
    'proactive-delivery POST /proactive/do-not-call/import': { kind: 'own' },
    'proactive-delivery GET /proactive/do-not-call/{phoneNumber}': {
      kind: 'resource',
    },
    'proactive-delivery DELETE /proactive/do-not-call/{phoneNumber}': {
      kind: 'resource',
    },
    'proactive-delivery GET /proactive/settings': { kind: 'own' },
    'proactive-delivery PUT /proactive/settings': { kind: 'own' },
    'proactive-delivery POST /proactive/configurations': { kind: 'own' },
    'proactive-delivery GET /proactive/configurations': { kind: 'own' },
    'proactive-delivery GET /proactive/configurations/{id}': {
      kind: 'resource',
    },
    'proactive-delivery PATCH /proactive/configurations/{id}': {
      kind: 'resource',
    },
    'proactive-delivery DELETE /proactive/configurations/{id}': {
      kind: 'resource',
    },
    'proactive-delivery POST /api/data/v9.2/CCaaS_CreateProactiveVoiceDelivery': { kind: 'resource' },
    'proactive-delivery GET /proactive/deliveries/{id}': { kind: 'resource' },
    'proactive-delivery GET /proactive/deliveries': { kind: 'own' },
    'proactive-delivery POST /proactive/deliveries/{id}/cancel': {
      kind: 'resource',
    },
    'outbound-messaging GET /health/live': { kind: 'outside', why: 'health' },
    'outbound-messaging GET /health/ready': { kind: 'outside', why: 'health' },
    'outbound-messaging POST /outbound/templates': { kind: 'own' },
    'outbound-messaging GET /outbound/templates': { kind: 'own' },
    'outbound-messaging GET /outbound/templates/{id}': { kind: 'resource' },
    'outbound-messaging PUT /outbound/templates/{id}': { kind: 'resource' },
    'outbound-messaging DELETE /outbound/templates/{id}': { kind: 'resource' },
    'outbound-messaging POST /outbound/templates/{id}/preview': {
      kind: 'resource',
    },
    'outbound-messaging POST /outbound/channels': { kind: 'own' },
    'outbound-messaging GET /outbound/channels': { kind: 'own' },
    'outbound-messaging GET /outbound/channels/{id}': { kind: 'resource' },
    'outbound-messaging PUT /outbound/channels/{id}': { kind: 'resource' },
    'outbound-messaging DELETE /outbound/channels/{id}': { kind: 'resource' },
    'outbound-messaging POST /outbound/configurations': { kind: 'resource' },
    'outbound-messaging GET /outbound/configurations': { kind: 'own' },
    'outbound-messaging GET /outbound/configurations/{id}': {
      kind: 'resource',
    },
    'outbound-messaging PUT /outbound/configurations/{id}': {
      kind: 'resource',
    },
    'outbound-messaging DELETE /outbound/configurations/{id}': {
      kind: 'resource',
    },
    'outbound-messaging POST /api/data/v9.2/msdyn_InvokeOutboundAPI': {
      kind: 'resource',
    },
    'outbound-messaging GET /outbound/messages': { kind: 'own' },
    'outbound-messaging GET /outbound/messages/counts': { kind: 'own' },
    'outbound-messaging GET /outbound/messages/{id}': { kind: 'resource' },
    'outbound-messaging GET /outbound/timeline': { kind: 'own' },
    'outbound-messaging POST /outbound/rules': { kind: 'resource' },
    'outbound-messaging GET /outbound/rules': { kind: 'own' },
    'outbound-messaging GET /outbound/rules/{id}': { kind: 'resource' },
    'outbound-messaging PUT /outbound/rules/{id}': { kind: 'resource' },
    'outbound-messaging DELETE /outbound/rules/{id}': { kind: 'resource' },
    'outbound-messaging GET /outbound/rules/{id}/firings': { kind: 'resource' },
    'outbound-messaging POST /outbound/schedules': { kind: 'resource' },
    'outbound-messaging GET /outbound/schedules': { kind: 'own' },
    'outbound-messaging GET /outbound/schedules/{id}': { kind: 'resource' },
    'outbound-messaging DELETE /outbound/schedules/{id}': { kind: 'resource' },
    'outbound-messaging GET /outbound/schedules/{id}/runs': {
      kind: 'resource',
    },
    'crm-sync GET /health/live': { kind: 'outside', why: 'health' },
    'crm-sync GET /health/ready': { kind: 'outside', why: 'health' },
    'crm-sync GET /agent-events': { kind: 'own' },
    'crm-sync GET /crm/session-flows/settings': { kind: 'own' },
    'crm-sync PUT /crm/session-flows/settings': { kind: 'own' },
    'crm-sync GET /crm/sessions/{sessionId}/calls': { kind: 'own' },
    'crm-sync GET /crm/custom/settings': { kind: 'own' },
    'crm-sync PUT /crm/custom/settings': { kind: 'own' },
    'crm-sync POST /crm/custom/dry-run': { kind: 'own' },
    'crm-sync GET /crm/dynamics/settings': { kind: 'own' },
    'crm-sync PUT /crm/dynamics/settings': { kind: 'own' },
    'crm-sync POST /crm/dynamics/data-dip': { kind: 'own' },
    'crm-sync POST /crm/custom/oauth/authorize': { kind: 'own' },
    'crm-sync GET /crm/custom/oauth/callback': {
      kind: 'outside',
      why: "the CRM's redirect; the tenant comes from the sealed state parameter",
    },
    'crm-sync GET /crm/outcome-email/settings': { kind: 'own' },
    'crm-sync PUT /crm/outcome-email/settings': { kind: 'own' },
    'crm-sync POST /crm/case-events': {
      kind: 'outside',
      why: "the CRM's signed webhook: the tenant is the one whose secret signed it (E2 test: another tenant's signature is refused)",
    },
    'crm-sync PUT /crm/case-events/secret': { kind: 'own' },
    'crm-sync GET /crm/sessions/{sessionId}/uploads': { kind: 'own' },
    'storage-export GET /health/live': { kind: 'outside', why: 'health' },
    'storage-export GET /health/ready': { kind: 'outside', why: 'health' },
    'storage-export GET /storage-export/settings': { kind: 'own' },
    'storage-export POST /storage-export/settings/connect': {
      kind: 'outside',
      why: "B's own settings, and connecting writes a probe to B's destination: covered by the settings GET after the sweep",
    },
    'storage-export PUT /sessions/{sessionId}/files/{kind}/{fileName}': {
      kind: 'outside',
      why: "B uploads B's own file for a session id it names: checked below (A's file list unchanged)",
    },
    'storage-export GET /sessions/{sessionId}/exports': { kind: 'own' },
    'storage-export POST /sessions/{sessionId}/exports/retry': { kind: 'own' },
    'storage-export GET /exports/files/{fileId}/content': {
      kind: 'outside',
      why: 'a signed, expiring link for the CRM: without its signature it is refused, whoever asks',
    },
    'event-bridge GET /health/live': { kind: 'outside', why: 'health' },
    'event-bridge GET /health/ready': { kind: 'outside', why: 'health' },
    'event-bridge PUT /admin/ingress-secret': { kind: 'own' },
    'event-bridge PUT /admin/custom-data-key': { kind: 'own' },
    'event-bridge POST /adapter-events': {
      kind: 'outside',
      why: "signed ingest: the tenant is the signature's (adapter-events int tests refuse another tenant's signature)",
    },
    'event-bridge POST /adapter-events/batch': {
      kind: 'outside',
      why: 'signed ingest, as above',
    },
    'event-bridge POST /adapter-events/from-agent': { kind: 'own' },
    'event-bridge POST /contact-sessions/events': {
      kind: 'outside',
      why: 'signed ingest, as above',
    },
    'event-bridge GET /contact-sessions/{sessionId}': { kind: 'resource' },
    'event-bridge GET /sdk/agent-bridge.js': {
      kind: 'outside',
      why: 'the public page script',
    },
    'event-bridge GET /adapter-embeds': { kind: 'own' },
    'event-bridge GET /agent-stream': {
      kind: 'outside',
      why: "an endless stream of the token's own agent; agent-stream int tests cover tenants",
    },
  };

  /** Lists that need a query parameter: asked about A's contact, so that an answer could hold A's data. */
  const REQUIRED_QUERY: Record<string, string> = {
    '/outbound/timeline': '?tocontactid=%2B14155552671',
    '/adapter-embeds': '?adapterHost=adapter.example.com',
  };

  const operationsOf = (service: ServiceName) =>
    Object.entries(documents.get(service)?.paths ?? {}).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({
          method,
          path,
          name: `${service} ${method.toUpperCase()} ${path}`,
        })),
    );

  it('every documented operation of every service has a line in the table', () => {
    const documented = SERVICES.flatMap(({ name }) => operationsOf(name).map((operation) => operation.name));
    expect(documented.filter((name) => !(name in OPERATIONS))).toEqual([]);
    expect(Object.keys(OPERATIONS).filter((name) => !documented.includes(name))).toEqual([]);
  });

  /** Tenant A's data as A reads it: every GET the table marks as A's resource or one of A's lists and settings. */
  async function snapshotOfA(): Promise<Record<string, string>> {
    const reads = SERVICES.flatMap(({ name }) =>
      operationsOf(name)
        .filter(({ method, name: operation }) => method === 'get' && ['resource', 'own'].includes(OPERATIONS[operation]?.kind ?? 'outside'))
        .map(({ path }) => [name, withIdsOfA(name, path)] as const),
    );
    return Object.fromEntries(
      await Promise.all(
        reads.map(async ([service, path]) => {
          const response = await call(service, TENANT_A, 'GET', path);
          return [`${service} ${path}`, `${response.status} ${JSON.stringify(withoutProgress(JSON.parse(await response.text())))}`] as const;
        }),
      ),
    );
  }

  /**
   * Fields the services' own work moves while the sweep runs (a delivery dialed and closed — Status, Reason, ModifiedOn,
   * ClosedOn in the CCaaS format —, a message sent, a file exported, a document regenerated, a CRM call logged).
   */
  const PROGRESS = /status|attempt|^calls$|finishedAt|updatedAt|sentAt|deliveredAt|failedAt|error|dueAt|nextAttempt|outcome|generatedAt|exportedAt|^size$|sha256|storageUrl/i;
  const DELIVERY_PROGRESS = new Set(['Reason', 'ModifiedOn', 'ClosedOn']);
  function withoutProgress(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutProgress);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !PROGRESS.test(key) && !DELIVERY_PROGRESS.has(key))
        .map(([key, inner]) => [key, withoutProgress(inner)]),
    );
  }

  /** The path with tenant A's ids (unknown parameters get A's session id or a placeholder that names nothing). */
  function withIdsOfA(service: ServiceName, path: string): string {
    const byPath: Record<string, string | undefined> = {
      '/proactive/configurations/{id}': ids['pd:configuration'],
      '/proactive/deliveries/{id}': ids['pd:delivery'],
      '/proactive/deliveries/{id}/cancel': ids['pd:delivery'],
      '/outbound/templates/{id}': ids['om:template'],
      '/outbound/templates/{id}/preview': ids['om:template'],
      '/outbound/channels/{id}': ids['om:channel'],
      '/outbound/configurations/{id}': ids['om:configuration'],
      '/outbound/messages/{id}': ids['om:message'],
      '/outbound/rules/{id}': ids['om:rule'],
      '/outbound/rules/{id}/firings': ids['om:rule'],
      '/outbound/schedules/{id}': ids['om:schedule'],
      '/outbound/schedules/{id}/runs': ids['om:schedule'],
    };
    const id = byPath[path];
    return `${path
      .replace('{id}', id ?? `no-id-for-${service}`)
      .replace('{phoneNumber}', encodeURIComponent(String(example('proactive-delivery', 'post', '/proactive/do-not-call')['phoneNumber'])))
      .replace('{sessionId}', SESSION)
      .replace('{kind}', 'transcript')
      .replace('{fileName}', `chat-${SESSION}.txt`)}${REQUIRED_QUERY[path] ?? ''}`;
  }

  /** A body for B's request: the documented example with A's ids where it names a resource. */
  function bodyFor(service: ServiceName, method: string, path: string): unknown {
    const body = example(service, method, path);
    for (const field of ['ProactiveEngagementConfigId', 'msdyn_ocoutboundconfigurationid', 'configurationId']) {
      if (field in body) body[field] = field === 'ProactiveEngagementConfigId' ? ids['pd:configuration'] : ids['om:configuration'];
    }
    if ('channelId' in body) body['channelId'] = ids['om:channel'];
    if ('templateId' in body) body['templateId'] = ids['om:template'];
    return method === 'get' || method === 'delete' ? undefined : body;
  }

  it("B is refused on each of A's resources, finds nothing of A's in its own lists and settings, and A's data reads as before", async () => {
    const before = await snapshotOfA();
    // A's CRM uploads need a whole CRM flow behind them (E3 covers them): that list is empty, and must stay so.
    const empty = [`crm-sync /crm/sessions/${SESSION}/uploads`];
    expect(Object.entries(before).filter(([read, answer]) => !answer.startsWith('200') && !empty.includes(read))).toEqual([]);
    const problems: string[] = [];
    // A's resources first: B's own creates below use the documented examples, which may name the same numbers.
    const sweep = SERVICES.flatMap(({ name }) =>
      operationsOf(name).map((operation) => ({
        service: name,
        ...operation,
        rule: OPERATIONS[operation.name],
      })),
    );
    const order = { resource: 0, own: 1, outside: 2 };
    sweep.sort((a, b) => order[a.rule?.kind ?? 'outside'] - order[b.rule?.kind ?? 'outside']);
    for (const { service: name, method, path, name: operation, rule } of sweep) {
      if (!rule || rule.kind === 'outside') continue;
      const [target, body] = [withIdsOfA(name, path), bodyFor(name, method, path)];
      const response = await call(name, TENANT_B, method.toUpperCase(), target, body);
      const text = await response.text();
      // An id B itself sent may be echoed in a refusal; any other of A's ids, or A's mark, is a leak.
      const sent = `${target} ${JSON.stringify(body ?? null)}`;
      const leaked = text.includes(MARK) || Object.values(ids).some((id) => id && text.includes(id) && !sent.includes(id));
      if (response.status >= 500) problems.push(`${operation}: ${response.status} ${text.slice(0, 200)}`);
      if (rule.kind === 'resource' && response.status < 400) problems.push(`${operation}: B got ${response.status} on A's resource: ${text.slice(0, 200)}`);
      if (leaked) problems.push(`${operation}: B's answer holds A's data: ${text.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    expect(await snapshotOfA()).toEqual(before);
  }, 120_000);

  it("B's upload to a session id A also uses is B's own file: A's exports of that session are unchanged", async () => {
    const before = await (await call('storage-export', TENANT_A, 'GET', `/sessions/${SESSION}/exports`)).text();
    const upload = await call('storage-export', TENANT_B, 'PUT', `/sessions/${SESSION}/files/transcript/chat-${SESSION}.txt`, 'Agent: tenant B', {
      'content-type': 'text/plain',
    });
    // B has no storage settings: its upload is refused; either way A's file list must not move.
    expect(upload.status).toBeLessThan(500);
    expect(await (await call('storage-export', TENANT_A, 'GET', `/sessions/${SESSION}/exports`)).text()).toBe(before);
  });
});
