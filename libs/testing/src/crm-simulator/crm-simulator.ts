import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSimulator, readBodyBytes, sameText, type SimulatorRequest } from '../simulator-http';
import { IdempotencyKeys, requestFingerprint, type StoredAnswer } from './crm-idempotency';
import { CrmOAuthServer, type CrmOAuthOptions, type OAuthAnswer } from './crm-oauth-server';
import { type CrmFields, CriteriaError, CrmSimulatorStore, fieldsOfBody, matchesSearch, type SimulatedAccount } from './crm-simulator-store';

/** How the simulated CRM wants to be authenticated (CS1.1). */
export type CrmSimulatorAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  /** Every one of these headers must be present with this value. */
  | { type: 'headers'; headers: Record<string, string> }
  | { type: 'bearer'; token: string }
  /** Bearer tokens from the simulator's own OAuth 2.0 server (`/oauth/authorize`, `/oauth/token`). */
  | ({ type: 'oauth2' } & CrmOAuthOptions);

export interface CrmSimulatorOptions {
  host?: string;
  /** 0 (default) takes a free port. */
  port?: number;
  auth?: CrmSimulatorAuth;
  /** Added to every answer. */
  latencyMs?: number;
  /** Accounts present from the start (ids kept). */
  accounts?: SimulatedAccount[];
}

/** A failure on demand: the next `times` requests matching method and path prefix get it (default 1; Infinity for all). */
export interface CrmFault {
  method?: string;
  pathPrefix?: string;
  status: number;
  retryAfterSeconds?: number;
  location?: string;
  delayMs?: number;
  times?: number;
}

export interface CrmRecordedRequest extends SimulatorRequest {
  /** The body as text (multipart included). */
  body: string;
}

const API = '/api';

/**
 * A reference REST CRM for the custom-CRM engine (CS1–CS2), written from the shape generic CRMs share
 * (Zoho, Freshdesk, Zendesk): accounts, records belonging to accounts, comments and attachments
 * belonging to records, JSON answers `{"data": …}` and errors `{"error": {"code", "message"}}`.
 *
 * - `GET /api/accounts?field=value…` (`*` wildcards; `criteria=(Email:equals:x) or (…)`), `GET /api/accounts/{id}`, `POST /api/accounts`
 * - `GET /api/records?…`, `POST /api/records` (needs an existing `accountId`), `GET|PUT|PATCH /api/records/{id}`
 * - `POST /api/records/{id}/comments`; `POST /api/records/{id}/attachments` (JSON with base64 `file`, or multipart
 *   with a `file` part) → `{data: {id, url}}`; `GET /api/records/{id}/attachments/{attachmentId}` → the bytes
 *
 * Create and update bodies may be properties, a map container or an array container. Authentication is
 * configurable (basic, custom headers, bearer, or OAuth 2.0 tokens of its own authorization server:
 * `GET /oauth/authorize`, `POST /oauth/token`, see CrmOAuthServer); latency and failure statuses on demand
 * (also on the token endpoint); every request is recorded. Control over HTTP: `GET|DELETE /_simulator/requests`, `POST|DELETE /_simulator/faults`.
 */
export class CrmSimulator extends HttpSimulator {
  readonly requests: CrmRecordedRequest[] = [];
  readonly store = new CrmSimulatorStore();
  /** Idempotency-Keys seen on POST/PUT/PATCH, with the answers of the requests that took effect. */
  readonly idempotencyKeys = new IdempotencyKeys();
  latencyMs: number;
  /** The OAuth 2.0 server, while `auth` is oauth2. */
  oauth: CrmOAuthServer | undefined;
  private currentAuth: CrmSimulatorAuth = { type: 'none' };
  private readonly faults: Array<CrmFault & { left: number }> = [];

  private constructor(options: CrmSimulatorOptions) {
    super();
    this.auth = options.auth ?? { type: 'none' };
    this.latencyMs = options.latencyMs ?? 0;
    for (const account of options.accounts ?? []) this.store.accounts.set(account.id, structuredClone(account));
  }

  static async start(options: CrmSimulatorOptions = {}): Promise<CrmSimulator> {
    const simulator = new CrmSimulator(options);
    await simulator.listen(options.host, options.port);
    return simulator;
  }


  get auth(): CrmSimulatorAuth {
    return this.currentAuth;
  }

  /** Another authentication; an oauth2 one starts a fresh authorization server (no tokens issued yet). */
  set auth(auth: CrmSimulatorAuth) {
    this.currentAuth = auth;
    this.oauth = auth.type === 'oauth2' ? new CrmOAuthServer(auth) : undefined;
  }

  fail(fault: CrmFault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const method = request.method ?? 'GET';
    const bytes = await readBodyBytes(request);
    const record: CrmRecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body: bytes.toString('utf8'), status: 0 };
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = payload === undefined ? '' : JSON.stringify(payload);
      response.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers }).end(text);
    };
    if (url.pathname.startsWith('/_simulator/')) return this.control(method, url.pathname, record.body, send);
    this.requests.push(record);

    const fault = this.takeFault(method, url.pathname);
    const delay = (fault?.delayMs ?? 0) + this.latencyMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.location) headers['location'] = fault.location;
      return send(fault.status, fault.status >= 300 && fault.status < 400 ? undefined : error('SIMULATED_FAILURE', `simulated status ${fault.status}`), headers);
    }
    if (this.oauth && url.pathname.startsWith('/oauth/')) {
      const header = request.headers['authorization'];
      const answer: OAuthAnswer =
        method === 'GET' && url.pathname === '/oauth/authorize'
          ? this.oauth.authorize(url.searchParams)
          : method === 'POST' && url.pathname === '/oauth/token'
            ? this.oauth.token(typeof header === 'string' ? header : undefined, request.headers['content-type'] ?? '', record.body)
            : { status: 404, body: error('NOT_FOUND', 'unknown OAuth path') };
      return send(answer.status, answer.body, answer.headers);
    }
    if (!this.authorized(request)) {
      const challenge = this.auth.type === 'oauth2' ? 'Bearer error="invalid_token"' : 'Basic realm="crm"';
      return send(401, error('AUTHENTICATION_FAILURE', 'missing or wrong credentials'), { 'www-authenticate': challenge });
    }
    const contentType = request.headers['content-type'] ?? '';
    const key = method === 'GET' ? undefined : request.headers['idempotency-key'];
    const handle = (reply: typeof send) => this.routed(method, url, contentType, bytes, reply, response, record);
    return typeof key === 'string' ? this.once(key, await requestFingerprint(method, url.pathname, contentType, bytes), send, handle) : handle(send);
  }

  /** A request with an Idempotency-Key: handled the first time, its 2xx answer sent again for the same request. */
  private async once(key: string, fingerprint: string, send: (status: number, payload?: unknown, headers?: Record<string, string>) => void, handle: (reply: typeof send) => Promise<void>): Promise<void> {
    const keyed = this.idempotencyKeys.begin(key, fingerprint);
    if (keyed.kind === 'replay') return send(keyed.answer.status, keyed.answer.payload, { 'idempotent-replayed': 'true' });
    if (keyed.kind === 'mismatch') return send(422, error('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request'));
    if (keyed.kind === 'in_progress') return send(409, error('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed'), { 'retry-after': '1' });
    let answer: StoredAnswer = { status: 500 };
    try {
      await handle((status, payload, headers) => send((answer = { status, payload }).status, payload, headers));
    } finally {
      this.idempotencyKeys.complete(key, answer);
    }
  }

  private async routed(method: string, url: URL, contentType: string, bytes: Buffer, send: (status: number, payload?: unknown) => void, response: ServerResponse, record: CrmRecordedRequest): Promise<void> {
    try {
      const sendFile = (fileType: string, data: Buffer) => {
        record.status = 200;
        response.writeHead(200, { 'content-type': fileType, 'content-length': String(data.length) }).end(data);
      };
      return await this.route(method, url, contentType, bytes, send, sendFile);
    } catch (failure) {
      if (failure instanceof CriteriaError || failure instanceof SyntaxError) return send(400, error('INVALID_QUERY', failure.message));
      throw failure;
    }
  }

  private async route(
    method: string,
    url: URL,
    contentType: string,
    bytes: Buffer,
    send: (status: number, payload?: unknown) => void,
    sendFile: (contentType: string, data: Buffer) => void,
  ): Promise<void> {
    const store = this.store;
    const parts = url.pathname.startsWith(`${API}/`) ? url.pathname.slice(API.length + 1).split('/').map(decodeURIComponent) : [];
    const [collection, id, child, childId] = parts;
    const json = () => (bytes.length === 0 ? undefined : (JSON.parse(bytes.toString('utf8')) as unknown));
    const notFound = (what: string) => send(404, error('NOT_FOUND', `${what} not found`));

    if (collection === 'accounts' && id === undefined) {
      if (method === 'GET') return send(200, { data: [...store.accounts.values()].filter((row) => matchesSearch(row, url.searchParams)) });
      if (method === 'POST') {
        const fields = fieldsOfBody(json());
        if (!fields) return send(400, error('INVALID_DATA', 'the body must be a JSON object'));
        return send(201, { data: store.addAccount(fields) });
      }
    }
    if (collection === 'accounts' && id !== undefined && child === undefined && method === 'GET') {
      const account = store.accounts.get(id);
      return account ? send(200, { data: account }) : notFound(`account ${id}`);
    }
    if (collection === 'records' && id === undefined) {
      if (method === 'GET') return send(200, { data: [...store.records.values()].filter((row) => matchesSearch(row, url.searchParams)) });
      if (method === 'POST') {
        const fields = fieldsOfBody(json());
        const accountId = fields?.['accountId'];
        if (!fields || typeof accountId !== 'string' || !store.accounts.has(accountId)) return send(400, error('INVALID_DATA', 'a record needs the accountId of an existing account'));
        return send(201, { data: store.addRecord(accountId, fields) });
      }
    }
    const record = collection === 'records' && id !== undefined ? store.records.get(id) : undefined;
    if (collection === 'records' && id !== undefined && !record) return notFound(`record ${id}`);
    if (record && child === undefined) {
      if (method === 'GET') return send(200, { data: record });
      if (method === 'PUT' || method === 'PATCH') {
        const fields = fieldsOfBody(json());
        if (!fields) return send(400, error('INVALID_DATA', 'the body must be a JSON object'));
        Object.assign(record, fields, { id: record.id, accountId: record.accountId });
        return send(200, { data: record });
      }
    }
    if (record && child === 'comments' && method === 'POST') {
      const fields = fieldsOfBody(json());
      if (!fields) return send(400, error('INVALID_DATA', 'the body must be a JSON object'));
      const comment = { id: store.nextId('com_'), recordId: record.id, fields };
      store.comments.push(comment);
      return send(201, { data: { id: comment.id, recordId: record.id, ...fields } });
    }
    if (record && child === 'attachments' && childId === undefined && method === 'POST') {
      const file = await fileOf(contentType, bytes, json);
      if (!file) return send(400, error('INVALID_DATA', 'send the file as JSON {"file": "<base64>", "name"} or as multipart with a "file" part'));
      const attachment = { id: store.nextId('att_'), recordId: record.id, ...file };
      store.attachments.set(attachment.id, attachment);
      return send(201, { data: { id: attachment.id, url: `${this.url}${API}/records/${record.id}/attachments/${attachment.id}` } });
    }
    if (record && child === 'attachments' && childId !== undefined && method === 'GET') {
      const attachment = store.attachments.get(childId);
      if (!attachment || attachment.recordId !== record.id) return notFound(`attachment ${childId}`);
      return sendFile(attachment.contentType, attachment.data);
    }
    return send(parts.length === 0 ? 404 : 405, error('NOT_SUPPORTED', `${method} ${url.pathname} is not part of this CRM's API`));
  }

  private authorized(request: IncomingMessage): boolean {
    const auth = this.auth;
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    switch (auth.type) {
      case 'none':
        return true;
      case 'basic':
        return sameText(header('authorization') ?? '', `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
      case 'bearer':
        return sameText(header('authorization') ?? '', `Bearer ${auth.token}`);
      case 'headers':
        return Object.entries(auth.headers).every(([name, value]) => sameText(header(name) ?? '', value));
      case 'oauth2': {
        const presented = /^Bearer (\S+)$/i.exec(header('authorization') ?? '')?.[1];
        return presented !== undefined && this.oauth !== undefined && this.oauth.acceptsAccessToken(presented);
      }
    }
  }

  private takeFault(method: string, path: string): CrmFault | undefined {
    const fault = this.faults.find((candidate) => (!candidate.method || candidate.method === method) && path.startsWith(candidate.pathPrefix ?? ''));
    if (!fault) return undefined;
    if (--fault.left <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private control(method: string, path: string, body: string, send: (status: number, payload?: unknown) => void): void {
    if (method === 'GET' && path === '/_simulator/requests') return send(200, { requests: this.requests });
    if (method === 'DELETE' && path === '/_simulator/requests') {
      this.requests.length = 0;
      return send(204);
    }
    if (method === 'POST' && path === '/_simulator/faults') {
      this.fail(JSON.parse(body || '{}') as CrmFault);
      return send(204);
    }
    if (method === 'DELETE' && path === '/_simulator/faults') {
      this.clearFaults();
      return send(204);
    }
    return send(404, error('NOT_FOUND', 'unknown simulator control path'));
  }
}

function error(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** The uploaded file of a base64 JSON body or a multipart form (parsed by undici's FormData reader). */
async function fileOf(contentType: string, bytes: Buffer, json: () => unknown): Promise<{ name: string; contentType: string; data: Buffer } | undefined> {
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData().catch(() => undefined);
    const file = form?.get('file');
    if (!file || typeof file === 'string') return undefined;
    return { name: file.name, contentType: file.type || 'application/octet-stream', data: Buffer.from(await file.arrayBuffer()) };
  }
  const fields = fieldsOfBody(json()) as CrmFields | undefined;
  const data = fields?.['file'];
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return undefined;
  return { name: String(fields?.['name'] ?? 'attachment'), contentType: String(fields?.['contentType'] ?? 'application/octet-stream'), data: Buffer.from(data, 'base64') };
}
