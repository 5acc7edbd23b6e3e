import { createHash } from 'node:crypto';

/** Shapes of the Cloud Storage JSON API (v1) as its public reference documents them. */

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), written here independently of any client. */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Buffer, previous = 0): number {
  let crc = ~previous >>> 0;
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** The object resource's `crc32c`: the big-endian 4-byte value, base64. */
export function crc32cBase64(bytes: Buffer): string {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32c(bytes));
  return value.toString('base64');
}

/** The object resource's `md5Hash`: the 16-byte digest, base64. */
export function md5Base64(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

/** One stored object version. */
export interface SimulatedGcsObject {
  bucket: string;
  name: string;
  generation: string;
  contentType: string;
  bytes: Buffer;
  created: Date;
  /** The service account that wrote it. */
  writtenBy: string;
  metadata?: Record<string, string>;
}

/** `storage#object` as `GET …/o/{object}` answers it. */
export function objectResource(baseUrl: string, object: SimulatedGcsObject): Record<string, unknown> {
  const encoded = encodeURIComponent(object.name);
  const time = object.created.toISOString();
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: object.generation,
    metageneration: '1',
    contentType: object.contentType,
    storageClass: 'STANDARD',
    size: String(object.bytes.length),
    md5Hash: md5Base64(object.bytes),
    crc32c: crc32cBase64(object.bytes),
    etag: createHash('sha1').update(`${object.generation}`).digest('base64').slice(0, 12),
    timeCreated: time,
    updated: time,
    timeStorageClassUpdated: time,
    ...(object.metadata ? { metadata: object.metadata } : {}),
  };
}

/** `storage#bucket`. */
export function bucketResource(baseUrl: string, name: string, created: Date): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: name,
    selfLink: `${baseUrl}/storage/v1/b/${name}`,
    projectNumber: '123456789012',
    name,
    timeCreated: created.toISOString(),
    updated: created.toISOString(),
    metageneration: '1',
    location: 'EU',
    locationType: 'multi-region',
    storageClass: 'STANDARD',
    etag: 'CAE=',
  };
}

export type GcsErrorReason = 'required' | 'invalid' | 'authError' | 'forbidden' | 'notFound' | 'conflict' | 'backendError' | 'rateLimitExceeded' | 'badRequest';

/** The JSON API's error body: `{error: {code, message, errors: [{message, domain, reason}]}}`. */
export function gcsError(code: number, reason: GcsErrorReason, message: string): { error: { code: number; message: string; errors: Array<Record<string, string>> } } {
  const detail: Record<string, string> = { message, domain: 'global', reason };
  if (reason === 'authError') Object.assign(detail, { locationType: 'header', location: 'Authorization' });
  return { error: { code, message, errors: [detail] } };
}

/** A `Content-Range` of a resumable upload request: `bytes A-B/T`, `bytes A-B/*`, `bytes A-*\/T` (streamed rest), `bytes *\/T` or `bytes *\/*` (status query). */
export interface ContentRange {
  first?: number;
  last?: number | '*';
  total?: number;
}

export function parseContentRange(header: string | undefined): ContentRange | undefined | 'invalid' {
  if (header === undefined) return undefined;
  const match = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!match) return 'invalid';
  const [, first, last, total] = match;
  return {
    ...(first !== undefined ? { first: Number(first), last: last === '*' ? '*' : Number(last) } : {}),
    ...(total !== '*' ? { total: Number(total) } : {}),
  };
}

/** `X-Goog-Hash: crc32c=…,md5=…` as a map. */
export function parseGoogHash(header: string | string[] | undefined): Record<string, string> {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const hashes: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) hashes[part.slice(0, at).trim().toLowerCase()] = part.slice(at + 1).trim();
  }
  return hashes;
}

/**
 * The parts of a `multipart/related` body (uploadType=multipart): the object's JSON metadata, then its bytes.
 * Returns undefined when the body is not two well-formed parts.
 */
export function parseMultipartRelated(contentType: string | undefined, body: Buffer): { metadata: Record<string, unknown>; mediaType: string; media: Buffer } | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary || !/^multipart\/related/i.test(contentType ?? '')) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) return undefined;
    // Each part sits between the CRLF after the delimiter and the CRLF before the next one.
    parts.push(body.subarray(start + 2, next - 2));
    at = next;
  }
  if (parts.length !== 2) return undefined;
  const [metadataPart, mediaPart] = parts.map(splitPart);
  if (!metadataPart || !mediaPart) return undefined;
  try {
    const metadata = JSON.parse(metadataPart.body.toString('utf8')) as Record<string, unknown>;
    if (typeof metadata !== 'object' || metadata === null) return undefined;
    return { metadata, mediaType: mediaPart.headers['content-type'] ?? 'application/octet-stream', media: mediaPart.body };
  } catch {
    return undefined;
  }
}

function splitPart(part: Buffer): { headers: Record<string, string>; body: Buffer } | undefined {
  const end = part.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const headers: Record<string, string> = {};
  for (const line of part.subarray(0, end).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: part.subarray(end + 4) };
}
