import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpSimulator, readBody, readBodyBytes, type SimulatorRequest } from '../simulator-http';
import { createServiceAccount, exchangeAssertion, type IssuedToken, JWT_BEARER_GRANT, type ServiceAccountKeyFile, type SimulatedServiceAccount, TokenRefusal } from './gcs-oauth';
import { bucketResource, crc32cBase64, gcsError, type GcsErrorReason, md5Base64, objectResource, parseContentRange, parseGoogHash, parseMultipartRelated, type SimulatedGcsObject } from './gcs-wire';

export interface GcsSimulatorOptions {
  host?: string;
  /** 0 (default) takes a free port. */
  port?: number;
  projectId?: string;
  /** Buckets at start; each may be limited to some service accounts (by email); unlisted = every account. */
  buckets?: Array<string | { name: string; writers?: string[] }>;
  /** false: requests are not kept (long runs); default true. */
  recordRequests?: boolean;
}

export interface GcsRecordedRequest extends SimulatorRequest {
  /** uploadType of an upload request (media, multipart, resumable). */
  uploadType?: string;
  /** Body bytes received. */
  bodyBytes: number;
}

/** Which requests a counted fault applies to. */
export type GcsRequestKind = 'token' | 'upload' | 'object' | 'any';

/** The next `times` (default 1) requests of `on` (default any), after `skip` of them pass, answer `status` (default 503). */
export interface GcsFault {
  status?: number;
  times?: number;
  skip?: number;
  on?: GcsRequestKind;
}

/**
 * How a resumable chunk is lost: `partial` keeps only the first half of the chunk and answers 308 with the
 * shorter Range (the client must resend the rest); `reset` reads part of it and drops the connection.
 */
export interface GcsChunkDrop {
  mode: 'partial' | 'reset';
  /** Chunk requests let through before the one dropped (default 0). */
  skip?: number;
}

/**
 * How the next finished upload is corrupted: `at-rest` flips a byte after the request's X-Goog-Hash passed
 * (the object's md5Hash/crc32c then describe the bad bytes, which only the client's own check can catch);
 * `in-transit` flips it before, so the server's X-Goog-Hash check refuses the upload with 400.
 */
export type GcsCorruption = 'at-rest' | 'in-transit';

interface ResumableSession {
  id: string;
  bucket: string;
  name: string;
  contentType: string;
  metadata?: Record<string, string>;
  email: string;
  total?: number;
  chunks: Buffer[];
  persisted: number;
  done?: SimulatedGcsObject;
}

interface BucketState {
  name: string;
  created: Date;
  writers?: Set<string>;
  objects: Map<string, SimulatedGcsObject>;
}

const OBJECT_PATH = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/;
const OBJECTS_PATH = /^\/storage\/v1\/b\/([^/]+)\/o$/;
const BUCKET_PATH = /^\/storage\/v1\/b\/([^/]+)$/;
const UPLOAD_PATH = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/;
const MAX_OBJECT_NAME_BYTES = 1024;

/**
 * The Cloud Storage JSON API (v1) and Google's OAuth 2.0 token endpoint, written from the public reference,
 * for the real `@google-cloud/storage` client (`apiEndpoint` = this URL, `useAuthWithCustomEndpoint`):
 * - `POST /token`: the JWT bearer grant; the assertion must be RS256-signed by a known service account's key
 *   (checked with its public key), aud/iat/exp/scope as Google checks them; answers `{access_token, expires_in, token_type}`.
 * - Uploads `POST /upload/storage/v1/b/{bucket}/o?uploadType=media|multipart|resumable`; a resumable session
 *   URI takes `PUT` chunks with `Content-Range: bytes A-B/T` (308 + `Range: bytes=0-N` until whole), the
 *   status query `bytes *\/T`, a final `X-Goog-Hash` (crc32c/md5) that must match the bytes, and `DELETE` (499).
 * - `GET /storage/v1/b/{bucket}`, `GET|DELETE /storage/v1/b/{bucket}/o/{object}` (`alt=media` downloads), and
 *   `GET /storage/v1/b/{bucket}/o` (prefix, delimiter, maxResults, pageToken). Object resources carry
 *   `md5Hash` and `crc32c` (base64) of the stored bytes.
 * - Every API call needs `Authorization: Bearer` with an issued token (401 otherwise); a bucket limited to
 *   some accounts answers 403 to the others; errors are `{error: {code, message, errors: [{domain, reason}]}}`.
 * Failures on demand: counted faults (`failNext`), a lost resumable chunk (`dropChunk`), a corrupted upload (`corruptNext`).
 */
export class GcsSimulator extends HttpSimulator {
  readonly projectId: string;
  readonly requests: GcsRecordedRequest[] = [];
  private readonly accounts = new Map<string, SimulatedServiceAccount>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly buckets = new Map<string, BucketState>();
  private readonly sessions = new Map<string, ResumableSession>();
  private readonly faults: Array<Required<GcsFault>> = [];
  private readonly drops: Array<Required<GcsChunkDrop>> = [];
  private readonly corruptions: GcsCorruption[] = [];
  private readonly recordRequests: boolean;
  private generation = 1_700_000_000_000_000;

  private constructor(options: GcsSimulatorOptions) {
    super();
    this.projectId = options.projectId ?? 'switchboard-local';
    this.recordRequests = options.recordRequests ?? true;
    for (const bucket of options.buckets ?? ['exports']) {
      const { name, writers } = typeof bucket === 'string' ? { name: bucket, writers: undefined } : bucket;
      this.createBucket(name, writers);
    }
  }

  static async start(options: GcsSimulatorOptions = {}): Promise<GcsSimulator> {
    const simulator = new GcsSimulator(options);
    await simulator.listen(options.host, options.port);
    return simulator;
  }

  /** The token endpoint (a key file's `token_uri`). */
  get tokenUri(): string {
    return `${this.url}/token`;
  }

  /** Registers a new service account and returns its JSON key file (the simulator keeps only the public key). */
  createServiceAccount(name = 'storage-export'): ServiceAccountKeyFile {
    const { account, keyFile } = createServiceAccount(this.tokenUri, this.projectId, name);
    this.accounts.set(account.email, account);
    return keyFile;
  }

  /** Registers an existing key file's account (its public key) — e.g. a fixed key for `npm start`. */
  trustServiceAccount(email: string, account: Omit<SimulatedServiceAccount, 'email'>): void {
    this.accounts.set(email, { email, ...account });
  }

  createBucket(name: string, writers?: string[]): void {
    this.buckets.set(name, { name, created: new Date(), writers: writers ? new Set(writers) : undefined, objects: new Map() });
  }

  /** The stored object, or undefined. */
  object(bucket: string, name: string): SimulatedGcsObject | undefined {
    return this.buckets.get(bucket)?.objects.get(name);
  }

  /** Names of the bucket's objects, sorted. */
  objectNames(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.objects.keys() ?? [])].sort();
  }

  /** Resumable sessions not finished (nor cancelled). */
  openSessions(): number {
    return [...this.sessions.values()].filter((session) => !session.done).length;
  }

  failNext(fault: GcsFault = {}): void {
    this.faults.push({ status: fault.status ?? 503, times: fault.times ?? 1, skip: fault.skip ?? 0, on: fault.on ?? 'any' });
  }

  dropChunk(drop: GcsChunkDrop): void {
    this.drops.push({ mode: drop.mode, skip: drop.skip ?? 0 });
  }

  corruptNext(corruption: GcsCorruption = 'at-rest'): void {
    this.corruptions.push(corruption);
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.drops.length = 0;
    this.corruptions.length = 0;
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const query = Object.fromEntries(url.searchParams);
    const record: GcsRecordedRequest = { method: request.method ?? 'GET', path: url.pathname, query, headers: request.headers, status: 0, bodyBytes: 0, ...(query['uploadType'] ? { uploadType: query['uploadType'] } : {}) };
    if (this.recordRequests) this.requests.push(record);
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (body === undefined) {
        response.writeHead(status, headers).end();
        return;
      }
      const text = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      response.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? (headers['content-type'] ?? 'application/octet-stream') : 'application/json; charset=UTF-8', 'content-length': String(text.length), ...headers }).end(text);
    };
    const fail = (status: number, reason: GcsErrorReason, message: string) => answer(status, gcsError(status, reason, message));
    try {
      const fault = this.takeFault(kindOf(url.pathname));
      if (fault) {
        record.bodyBytes = (await readBodyBytes(request)).length;
        return fail(fault.status, fault.status === 429 ? 'rateLimitExceeded' : 'backendError', fault.status === 429 ? 'The rate of change requests to the object is too high.' : 'Backend Error');
      }
      if (request.method === 'POST' && url.pathname === '/token') return await this.token(request, answer);
      const upload = UPLOAD_PATH.exec(url.pathname);
      // A session URI carries its own authority (Google documents it as a bearer capability).
      if (upload && query['upload_id'] !== undefined) return await this.resumableChunk(request, query['upload_id'], record, answer, fail);
      const caller = this.caller(request);
      if (!caller) {
        await readBodyBytes(request);
        return fail(401, 'authError', 'Invalid Credentials');
      }
      if (upload && request.method === 'POST') return await this.startUpload(request, decodeURIComponent(upload[1]!), query, caller, record, answer, fail);
      const object = OBJECT_PATH.exec(url.pathname);
      if (object) return this.objectCall(request.method ?? 'GET', decodeURIComponent(object[1]!), decodeURIComponent(object[2]!), query, caller, answer, fail);
      const objects = OBJECTS_PATH.exec(url.pathname);
      if (objects && request.method === 'GET') return this.list(decodeURIComponent(objects[1]!), query, caller, answer, fail);
      const bucket = BUCKET_PATH.exec(url.pathname);
      if (bucket && request.method === 'GET') {
        const state = this.buckets.get(decodeURIComponent(bucket[1]!));
        if (!state) return fail(404, 'notFound', 'The specified bucket does not exist.');
        if (!this.mayUse(state, caller)) return fail(403, 'forbidden', `${caller} does not have storage.buckets.get access to the Google Cloud Storage bucket. Permission 'storage.buckets.get' denied on resource (or it may not exist).`);
        return answer(200, bucketResource(this.url, state.name, state.created));
      }
      await readBodyBytes(request);
      return fail(404, 'notFound', `Not Found: ${request.method} ${url.pathname}`);
    } catch (error) {
      if (!response.headersSent) fail(500, 'backendError', `simulator error: ${(error as Error).message}`);
    }
  }

  private async token(request: IncomingMessage, answer: (status: number, body?: unknown) => void): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    if (form.get('grant_type') !== JWT_BEARER_GRANT) return answer(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}` });
    try {
      const issued = exchangeAssertion(form.get('assertion') ?? '', this.accounts, this.tokenUri);
      this.tokens.set(issued.token, issued);
      return answer(200, { access_token: issued.token, expires_in: Math.floor((issued.expiresAt - Date.now()) / 1000), token_type: 'Bearer' });
    } catch (error) {
      if (!(error instanceof TokenRefusal)) throw error;
      return answer(error.status, { error: error.error, error_description: error.description });
    }
  }

  /** The service account of a valid bearer token, or undefined. */
  private caller(request: IncomingMessage): string | undefined {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const issued = token ? this.tokens.get(token) : undefined;
    return issued && issued.expiresAt > Date.now() ? issued.email : undefined;
  }

  private mayUse(bucket: BucketState, email: string): boolean {
    return !bucket.writers || bucket.writers.has(email);
  }

  private async startUpload(
    request: IncomingMessage,
    bucketName: string,
    query: Record<string, string>,
    caller: string,
    record: GcsRecordedRequest,
    answer: (status: number, body?: unknown, headers?: Record<string, string>) => void,
    fail: (status: number, reason: GcsErrorReason, message: string) => void,
  ): Promise<void> {
    const body = await readBodyBytes(request);
    record.bodyBytes = body.length;
    const bucket = this.buckets.get(bucketName);
    if (!bucket) return fail(404, 'notFound', 'The specified bucket does not exist.');
    if (!this.mayUse(bucket, caller)) return fail(403, 'forbidden', `${caller} does not have storage.objects.create access to the Google Cloud Storage object. Permission 'storage.objects.create' denied on resource (or it may not exist).`);
    const uploadType = query['uploadType'];
    if (uploadType === 'media') {
      const name = query['name'];
      if (!validName(name)) return fail(400, 'required', 'Required parameter: name');
      return this.finish(bucket, name, request.headers['content-type'] ?? 'application/octet-stream', undefined, body, caller, {}, answer, fail);
    }
    if (uploadType === 'multipart') {
      const parsed = parseMultipartRelated(request.headers['content-type'], body);
      if (!parsed) return fail(400, 'invalid', 'Invalid multipart request: expected a JSON metadata part and a media part.');
      const name = query['name'] ?? (typeof parsed.metadata['name'] === 'string' ? parsed.metadata['name'] : undefined);
      if (!validName(name)) return fail(400, 'required', 'Required parameter: name');
      const expected: Record<string, string> = {};
      if (typeof parsed.metadata['md5Hash'] === 'string') expected['md5'] = parsed.metadata['md5Hash'];
      if (typeof parsed.metadata['crc32c'] === 'string') expected['crc32c'] = parsed.metadata['crc32c'];
      const contentType = typeof parsed.metadata['contentType'] === 'string' ? parsed.metadata['contentType'] : parsed.mediaType;
      return this.finish(bucket, name, contentType, stringMap(parsed.metadata['metadata']), parsed.media, caller, expected, answer, fail);
    }
    if (uploadType === 'resumable') {
      let metadata: Record<string, unknown> = {};
      if (body.length > 0) {
        try {
          metadata = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          return fail(400, 'invalid', 'Invalid JSON payload received.');
        }
      }
      const name = query['name'] ?? (typeof metadata['name'] === 'string' ? metadata['name'] : undefined);
      if (!validName(name)) return fail(400, 'required', 'Required parameter: name');
      const declared = request.headers['x-upload-content-length'];
      const session: ResumableSession = {
        id: randomUUID().replace(/-/g, ''),
        bucket: bucket.name,
        name,
        contentType: String(request.headers['x-upload-content-type'] ?? metadata['contentType'] ?? 'application/octet-stream'),
        metadata: stringMap(metadata['metadata']),
        email: caller,
        total: declared !== undefined && /^\d+$/.test(String(declared)) ? Number(declared) : undefined,
        chunks: [],
        persisted: 0,
      };
      this.sessions.set(session.id, session);
      const location = `${this.url}/upload/storage/v1/b/${encodeURIComponent(bucket.name)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
      return answer(200, undefined, { location, 'x-guploader-uploadid': session.id, 'content-length': '0' });
    }
    return fail(400, 'invalid', `Invalid upload type: ${uploadType ?? '(none)'}`);
  }

  private async resumableChunk(
    request: IncomingMessage,
    uploadId: string,
    record: GcsRecordedRequest,
    answer: (status: number, body?: unknown, headers?: Record<string, string>) => void,
    fail: (status: number, reason: GcsErrorReason, message: string) => void,
  ): Promise<void> {
    const session = this.sessions.get(uploadId);
    if (request.method === 'DELETE') {
      await readBodyBytes(request);
      if (!session) return fail(404, 'notFound', 'No such upload session.');
      this.sessions.delete(uploadId);
      return answer(499, undefined, { 'content-length': '0' });
    }
    if (request.method !== 'PUT' || !session) {
      await readBodyBytes(request);
      return fail(404, 'notFound', 'No such upload session.');
    }
    const range = parseContentRange(request.headers['content-range'] as string | undefined);
    const isStatusQuery = range !== undefined && range !== 'invalid' && range.first === undefined;
    const drop = !isStatusQuery && !session.done ? this.takeDrop() : undefined;
    if (drop?.mode === 'reset') return this.resetMidBody(request);
    const body = await readBodyBytes(request);
    record.bodyBytes = body.length;
    const bucket = this.buckets.get(session.bucket);
    if (!bucket) return fail(404, 'notFound', 'The specified bucket does not exist.');
    if (session.done) return answer(200, objectResource(this.url, session.done));
    if (range === 'invalid') return fail(400, 'invalid', 'Failed to parse Content-Range header.');
    if (range?.total !== undefined) {
      if (session.total !== undefined && session.total !== range.total) return fail(400, 'invalid', 'The total object size does not match the one declared.');
      session.total = range.total;
    }
    if (isStatusQuery) return this.progress(session, answer);
    // Without Content-Range the request carries the whole object.
    const first = range?.first ?? 0;
    const last = range?.last ?? '*';
    if (first > session.persisted) return fail(400, 'invalid', `Invalid request: the chunk starts at ${first}, ${session.persisted} bytes are persisted.`);
    if (last !== '*' && last - first + 1 !== body.length) return fail(400, 'invalid', `Invalid request: Content-Range names ${last - first + 1} bytes, ${body.length} were sent.`);
    // Bytes already persisted (a resent overlap) are skipped, as GCS does.
    let fresh = body.subarray(session.persisted - first);
    if (drop?.mode === 'partial') fresh = fresh.subarray(0, Math.floor(fresh.length / 2));
    session.chunks.push(Buffer.from(fresh));
    session.persisted += fresh.length;
    const complete = drop ? false : session.total !== undefined ? session.persisted >= session.total : last === '*';
    if (session.total !== undefined && session.persisted > session.total) return fail(400, 'invalid', 'More bytes were sent than the declared total.');
    if (!complete) return this.progress(session, answer);
    const bytes = Buffer.concat(session.chunks);
    session.chunks = [bytes];
    const expected = parseGoogHash(request.headers['x-goog-hash']);
    return this.finish(bucket, session.name, session.contentType, session.metadata, bytes, session.email, expected, answer, fail, (stored) => {
      session.done = stored;
    });
  }

  private progress(session: ResumableSession, answer: (status: number, body?: unknown, headers?: Record<string, string>) => void): void {
    if (session.done) return answer(200, objectResource(this.url, session.done));
    const headers: Record<string, string> = { 'content-length': '0', 'x-guploader-uploadid': session.id };
    if (session.persisted > 0) headers['range'] = `bytes=0-${session.persisted - 1}`;
    answer(308, undefined, headers);
  }

  /** Stores the object when the hashes sent (X-Goog-Hash, or md5Hash/crc32c in the metadata) match the bytes. */
  private finish(
    bucket: BucketState,
    name: string,
    contentType: string,
    metadata: Record<string, string> | undefined,
    received: Buffer,
    email: string,
    expected: Record<string, string>,
    answer: (status: number, body?: unknown) => void,
    fail: (status: number, reason: GcsErrorReason, message: string) => void,
    onStored?: (object: SimulatedGcsObject) => void,
  ): void {
    const corruption = this.corruptions.shift();
    let bytes = corruption === 'in-transit' ? flipOneByte(received) : received;
    if (expected['crc32c'] && expected['crc32c'] !== crc32cBase64(bytes)) {
      return fail(400, 'invalid', `Provided CRC32C "${expected['crc32c']}" doesn't match calculated CRC32C "${crc32cBase64(bytes)}".`);
    }
    if (expected['md5'] && expected['md5'] !== md5Base64(bytes)) return fail(400, 'invalid', `Provided MD5 hash "${expected['md5']}" doesn't match calculated MD5 hash "${md5Base64(bytes)}".`);
    if (corruption === 'at-rest') bytes = flipOneByte(bytes);
    const object: SimulatedGcsObject = { bucket: bucket.name, name, generation: String(this.generation++), contentType, bytes, created: new Date(), writtenBy: email, ...(metadata ? { metadata } : {}) };
    bucket.objects.set(name, object);
    onStored?.(object);
    answer(200, objectResource(this.url, object));
  }

  private objectCall(
    method: string,
    bucketName: string,
    name: string,
    query: Record<string, string>,
    caller: string,
    answer: (status: number, body?: unknown, headers?: Record<string, string>) => void,
    fail: (status: number, reason: GcsErrorReason, message: string) => void,
  ): void {
    const bucket = this.buckets.get(bucketName);
    if (!bucket) return fail(404, 'notFound', 'The specified bucket does not exist.');
    const permission = method === 'DELETE' ? 'storage.objects.delete' : 'storage.objects.get';
    if (!this.mayUse(bucket, caller)) return fail(403, 'forbidden', `${caller} does not have ${permission} access to the Google Cloud Storage object. Permission '${permission}' denied on resource (or it may not exist).`);
    const object = bucket.objects.get(name);
    if (!object) return fail(404, 'notFound', `No such object: ${bucketName}/${name}`);
    if (method === 'DELETE') {
      bucket.objects.delete(name);
      return answer(204);
    }
    if (method !== 'GET') return fail(405, 'badRequest', `Method ${method} is not allowed on an object here.`);
    if (query['alt'] === 'media') {
      return answer(200, object.bytes, { 'content-type': object.contentType, 'x-goog-hash': `crc32c=${crc32cBase64(object.bytes)},md5=${md5Base64(object.bytes)}`, 'x-goog-generation': object.generation, 'x-goog-stored-content-length': String(object.bytes.length) });
    }
    answer(200, objectResource(this.url, object));
  }

  private list(
    bucketName: string,
    query: Record<string, string>,
    caller: string,
    answer: (status: number, body?: unknown) => void,
    fail: (status: number, reason: GcsErrorReason, message: string) => void,
  ): void {
    const bucket = this.buckets.get(bucketName);
    if (!bucket) return fail(404, 'notFound', 'The specified bucket does not exist.');
    if (!this.mayUse(bucket, caller)) return fail(403, 'forbidden', `${caller} does not have storage.objects.list access to the Google Cloud Storage bucket. Permission 'storage.objects.list' denied on resource (or it may not exist).`);
    const prefix = query['prefix'] ?? '';
    const delimiter = query['delimiter'];
    const max = Math.min(Number(query['maxResults'] ?? 1000) || 1000, 1000);
    const after = query['pageToken'] ? Buffer.from(query['pageToken'], 'base64url').toString('utf8') : '';
    const items: SimulatedGcsObject[] = [];
    const prefixes = new Set<string>();
    let nextPageToken: string | undefined;
    let lastListed = '';
    for (const name of [...bucket.objects.keys()].sort()) {
      if (!name.startsWith(prefix) || name <= after) continue;
      const rest = name.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      if (items.length + prefixes.size >= max) {
        nextPageToken = Buffer.from(lastListed).toString('base64url');
        break;
      }
      lastListed = name;
      if (cut >= 0) prefixes.add(prefix + rest.slice(0, cut + delimiter!.length));
      else items.push(bucket.objects.get(name)!);
    }
    answer(200, { kind: 'storage#objects', ...(prefixes.size ? { prefixes: [...prefixes] } : {}), items: items.map((object) => objectResource(this.url, object)), ...(nextPageToken ? { nextPageToken } : {}) });
  }

  private takeFault(kind: Exclude<GcsRequestKind, 'any'>): Required<GcsFault> | undefined {
    const fault = this.faults.find((candidate) => candidate.on === 'any' || candidate.on === kind);
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip--;
      return undefined;
    }
    if (--fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private takeDrop(): Required<GcsChunkDrop> | undefined {
    const drop = this.drops[0];
    if (!drop) return undefined;
    if (drop.skip > 0) {
      drop.skip--;
      return undefined;
    }
    return this.drops.shift();
  }

  /** Reads some of the chunk, then drops the connection without an answer (a network failure mid-request). */
  private resetMidBody(request: IncomingMessage): Promise<void> {
    return new Promise((resolve) => {
      let seen = 0;
      const onData = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= 16 * 1024) stop();
      };
      const stop = () => {
        request.off('data', onData);
        request.socket.destroy();
        resolve();
      };
      request.on('data', onData);
      request.once('end', stop);
      request.once('error', () => resolve());
    });
  }
}

function kindOf(path: string): Exclude<GcsRequestKind, 'any'> {
  if (path === '/token') return 'token';
  if (path.startsWith('/upload/')) return 'upload';
  return 'object';
}

function validName(name: string | undefined): name is string {
  return typeof name === 'string' && name.length > 0 && Buffer.byteLength(name) <= MAX_OBJECT_NAME_BYTES && !/[\r\n]/.test(name);
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
}

function flipOneByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length > 0) copy[Math.floor(copy.length / 2)]! ^= 0xff;
  return copy;
}
