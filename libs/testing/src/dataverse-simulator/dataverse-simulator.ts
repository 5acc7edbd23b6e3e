import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSimulator, readBody, sameText, type SimulatorRequest } from '../simulator-http';
import { CONTACT_FIELDS, INCIDENT_FIELDS, SAMPLE_CONTACTS, SAMPLE_INCIDENTS, type SimulatedContact, type SimulatedIncident } from './dataverse-sample-data';
import { type EntitySet, ODataQueryError, type ODataRow, runQuery } from './odata-query';

export interface DataverseSimulatorOptions {
  host?: string;
  /** 0 (default) takes a free port. */
  port?: number;
  /** The Microsoft Entra tenant (directory) id the token endpoint answers for. */
  entraTenantId?: string;
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  contacts?: SimulatedContact[];
  incidents?: SimulatedIncident[];
}

/** Which requests a fault applies to. */
export type FaultTarget = 'token' | 'contacts' | 'incidents' | 'any';

/** A failure on demand: the next `times` matching requests get it (default 1; Infinity for all). */
export interface Fault {
  target: FaultTarget;
  /** Answer with this status (429 gets Retry-After when retryAfterSeconds is set; 3xx gets Location). */
  status?: number;
  retryAfterSeconds?: number;
  location?: string;
  /** Wait this long before answering (or before the fault's status). */
  delayMs?: number;
  /** Answer 200 with a body of this many bytes. */
  bodyBytes?: number;
  times?: number;
}

export interface RecordedRequest extends SimulatorRequest {
  /** The form fields of a token request (client_secret replaced by "<redacted>"). */
  form?: Record<string, string>;
}

export const DEFAULT_SIMULATED_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const DEFAULT_SIMULATED_CLIENT_ID = '51f81489-12ee-4a9e-aaae-a2591f45987d';
export const DEFAULT_SIMULATED_CLIENT_SECRET = 'simulated-client-secret';
const API_PREFIX = '/api/data/v9.2/';

/**
 * A Dataverse Web API (OData v4 JSON: contacts, incidents) and a Microsoft Entra v2.0 token endpoint
 * (client credentials) in one local HTTP server, written from Microsoft's public documents, for
 * tests, `npm start` and the data-dip benchmark. It records every request and fails on demand
 * (latency, 429 with Retry-After, 5xx, redirects, oversized bodies; tokens it did not issue get 401).
 *
 * Control over HTTP for other processes: `GET /_simulator/requests`, `POST /_simulator/faults`
 * (a Fault as JSON), `DELETE /_simulator/faults`, `POST /_simulator/revoke-tokens`.
 */
export class DataverseSimulator extends HttpSimulator {
  readonly requests: RecordedRequest[] = [];
  /** Record requests (off in the benchmark, where memory would grow with every call). */
  recording = true;
  private readonly faults: Array<Fault & { left: number }> = [];
  private readonly signingKey = randomBytes(32);
  private tokensValidAfter = 0;
  private readonly contacts: EntitySet;
  private readonly incidents: EntitySet;
  readonly entraTenantId: string;
  readonly clientId: string;
  private readonly clientSecret: string;
  private readonly tokenLifetimeSeconds: number;

  private constructor(options: DataverseSimulatorOptions) {
    super();
    this.entraTenantId = options.entraTenantId ?? DEFAULT_SIMULATED_TENANT;
    this.clientId = options.clientId ?? DEFAULT_SIMULATED_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? DEFAULT_SIMULATED_CLIENT_SECRET;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
    this.contacts = { entity: 'contact', primaryKey: 'contactid', fields: CONTACT_FIELDS, rows: structuredClone(options.contacts ?? SAMPLE_CONTACTS) };
    this.incidents = { entity: 'incident', primaryKey: 'incidentid', fields: INCIDENT_FIELDS, rows: structuredClone(options.incidents ?? SAMPLE_INCIDENTS) };
  }

  static async start(options: DataverseSimulatorOptions = {}): Promise<DataverseSimulator> {
    const simulator = new DataverseSimulator(options);
    await simulator.listen(options.host, options.port);
    return simulator;
  }


  get tokenUrl(): string {
    return `${this.url}/${this.entraTenantId}/oauth2/v2.0/token`;
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Every token issued so far is answered with 401 from now on. */
  revokeTokens(): void {
    this.tokensValidAfter = Date.now() + 1;
  }

  requestsTo(target: Exclude<FaultTarget, 'any'>): RecordedRequest[] {
    return this.requests.filter((request) => targetOf(request.path) === target);
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const body = await readBody(request);
    const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, status: 0 };
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = payload === undefined ? '' : JSON.stringify(payload);
      response.writeHead(status, { ...(text ? { 'content-type': 'application/json; odata.metadata=minimal' } : {}), ...headers }).end(text);
    };
    if (url.pathname.startsWith('/_simulator/')) return this.control(request.method ?? 'GET', url.pathname, body, send);
    if (this.recording) this.requests.push(record);

    const target = targetOf(url.pathname);
    const fault = target ? this.takeFault(target) : undefined;
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.bodyBytes) {
      record.status = 200;
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(`{"value":[],"padding":"${'x'.repeat(fault.bodyBytes)}"}`);
    }
    if (fault?.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.location) headers['location'] = fault.location;
      if (fault.status >= 300 && fault.status < 400) return send(fault.status, undefined, headers);
      return send(fault.status, { error: { code: fault.status === 429 ? '0x80072322' : '0x80040216', message: fault.status === 429 ? 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' : 'An unexpected error occurred.' } }, headers);
    }

    if (target === 'token') return this.token(url.pathname, request.method, body, record, send);
    if (target === 'contacts' || target === 'incidents') return this.query(target, url, request, send);
    return send(404, { error: { code: '0x8006088a', message: `Resource not found for the segment '${url.pathname.split('/').pop()}'.` } });
  }

  private takeFault(target: FaultTarget): Fault | undefined {
    const fault = this.faults.find((candidate) => candidate.target === target || candidate.target === 'any');
    if (!fault) return undefined;
    if (--fault.left <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  /** Microsoft identity platform v2.0 token endpoint, client credentials grant. */
  private token(path: string, method: string | undefined, body: string, record: RecordedRequest, send: (status: number, payload: unknown) => void): void {
    const form = Object.fromEntries(new URLSearchParams(body));
    record.form = { ...form, ...(form['client_secret'] === undefined ? {} : { client_secret: '<redacted>' }) };
    const entraError = (status: number, error: string, description: string) =>
      send(status, { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() });
    if (method !== 'POST') return entraError(405, 'invalid_request', 'AADSTS900561: The endpoint only accepts POST requests.');
    if (path.split('/')[1] !== this.entraTenantId) return entraError(400, 'invalid_tenant', `AADSTS90002: Tenant '${path.split('/')[1]}' not found.`);
    if (form['grant_type'] !== 'client_credentials') return entraError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    if (form['client_id'] !== this.clientId) return entraError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form['client_id']}' was not found in the directory.`);
    if (!sameText(form['client_secret'] ?? '', this.clientSecret)) return entraError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    const expectedScope = `${this.url}/.default`;
    if (form['scope'] !== expectedScope) return entraError(400, 'invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid. Expected ${expectedScope}.`);
    const now = Math.floor(Date.now() / 1000);
    const accessToken = this.sign({ aud: this.url, iss: `https://sts.windows.net/${this.entraTenantId}/`, tid: this.entraTenantId, appid: this.clientId, iat: now, nbf: now, exp: now + this.tokenLifetimeSeconds, issuedAtMs: Date.now() });
    send(200, { token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, ext_expires_in: this.tokenLifetimeSeconds, access_token: accessToken });
  }

  private query(target: 'contacts' | 'incidents', url: URL, request: IncomingMessage, send: (status: number, payload: unknown, headers?: Record<string, string>) => void): void {
    const unauthorized = () => send(401, { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } }, { 'www-authenticate': `Bearer authorization_uri=${this.url}/${this.entraTenantId}/oauth2/authorize` });
    const claims = this.verify(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]);
    if (!claims) return unauthorized();
    if (request.method !== 'GET') return send(405, { error: { code: '0x80060888', message: 'This simulator only answers queries (GET).' } });
    const set = target === 'contacts' ? this.contacts : this.incidents;
    let rows: ODataRow[];
    try {
      rows = runQuery(set, url.searchParams);
    } catch (error) {
      if (error instanceof ODataQueryError) return send(400, { error: { code: '0x80060888', message: error.message } });
      throw error;
    }
    const annotations = /odata\.include-annotations/.test(String(request.headers['prefer'] ?? ''));
    const value = rows.map((row) => ({ '@odata.etag': `W/"${1000 + rows.indexOf(row)}"`, ...row, ...(annotations ? formattedValues(row) : {}) }));
    const select = url.searchParams.get('$select');
    send(200, { '@odata.context': `${this.url}${API_PREFIX}$metadata#${target}${select ? `(${select})` : ''}`, value }, {
      'odata-version': '4.0',
      ...(annotations ? { 'preference-applied': 'odata.include-annotations="*"' } : {}),
    });
  }

  private control(method: string, path: string, body: string, send: (status: number, payload: unknown) => void): void {
    if (method === 'GET' && path === '/_simulator/requests') return send(200, { requests: this.requests });
    if (method === 'DELETE' && path === '/_simulator/requests') {
      this.requests.length = 0;
      return send(204, undefined);
    }
    if (method === 'POST' && path === '/_simulator/faults') {
      this.fail(JSON.parse(body || '{}') as Fault);
      return send(204, undefined);
    }
    if (method === 'DELETE' && path === '/_simulator/faults') {
      this.clearFaults();
      return send(204, undefined);
    }
    if (method === 'POST' && path === '/_simulator/revoke-tokens') {
      this.revokeTokens();
      return send(204, undefined);
    }
    return send(404, { error: { code: 'NotFound', message: 'Unknown simulator control path' } });
  }

  private sign(claims: Record<string, unknown>): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  private verify(token: string | undefined): Record<string, unknown> | undefined {
    const [header, payload, signature] = token?.split('.') ?? [];
    if (!header || !payload || !signature) return undefined;
    const expected = createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest('base64url');
    if (!sameText(signature, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number; issuedAtMs: number };
    if (claims.exp * 1000 <= Date.now() || claims.issuedAtMs < this.tokensValidAfter) return undefined;
    return claims;
  }
}

function targetOf(path: string): Exclude<FaultTarget, 'any'> | undefined {
  if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) return 'token';
  if (path === `${API_PREFIX}contacts`) return 'contacts';
  if (path === `${API_PREFIX}incidents`) return 'incidents';
  return undefined;
}

function formattedValues(row: ODataRow): Record<string, string> {
  const annotated: Record<string, string> = {};
  if (typeof row['createdon'] === 'string') annotated['createdon@OData.Community.Display.V1.FormattedValue'] = new Date(row['createdon']).toLocaleString('en-US', { timeZone: 'UTC' });
  if (typeof row['statecode'] === 'number') annotated['statecode@OData.Community.Display.V1.FormattedValue'] = ['Active', 'Resolved', 'Cancelled'][row['statecode']] ?? String(row['statecode']);
  return annotated;
}
