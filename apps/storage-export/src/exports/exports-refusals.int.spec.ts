import { Role } from '@switchboard/auth';
import { type ExpectedRefusal, itRefusesEveryRow } from '@switchboard/platform/test-support';
import { startSftpServer, type SftpServer } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { CrmHandover } from './crm-handover';
import { testExportSettings } from './test-support/test-export-settings';
import { type ExportsTestApp, startExportsTestApp } from './test-support/exports-test-app';
import { rawRequest } from './test-support/raw-request';

let sftp: SftpServer;
let app: ExportsTestApp;
const TENANT = randomUUID();
const OTHER_TENANT = randomUUID();
const DISABLED_TENANT = randomUUID();
const UNCONFIGURED_TENANT = randomUUID();
const tokens: Record<string, string> = {};
let uploadedFileId = '';

interface Row extends ExpectedRefusal {
  method?: string;
  path: string;
  /** Whose token: a tenant and roles, or none. */
  as?: { tenantId: string; roles: Role[] } | 'none' | 'tampered';
  headers?: Record<string, string>;
  body?: string;
  declaredLength?: number;
}

const ADMIN = { tenantId: TENANT, roles: [Role.Administrator] };
const upload = (session: string, kind: string, name: string) => `/sessions/${session}/files/${kind}/${name}`;
const bytes = { 'content-type': 'audio/mpeg' };
const bad = (name: string, path: string, field: string, extra: Partial<Row> = {}): Row => ({ name, method: 'PUT', path, status: 400, code: 'BadRequest', fields: [field], headers: bytes, body: 'x', as: ADMIN, ...extra });

const rows: Row[] = [
  bad('SE2.2 session id ".." (raw)', upload('..', 'recording', 'call-...mp3'), 'sessionId'),
  bad('SE2.2 session id %2e%2e', upload('%2e%2e', 'recording', 'call-1.mp3'), 'sessionId'),
  bad('SE2.2 session id ../../etc encoded', upload('..%2F..%2Fetc', 'recording', 'call-1.mp3'), 'sessionId'),
  bad('SE2.2 absolute session id /etc/passwd', upload('%2Fetc%2Fpasswd', 'recording', 'call-1.mp3'), 'sessionId'),
  bad('SE2.2 session id with a backslash', upload('a%5Cb', 'recording', 'call-a%5Cb.mp3'), 'sessionId'),
  bad('SE2.2 session id with a space', upload('a%20b', 'recording', 'call-a%20b.mp3'), 'sessionId'),
  bad('SE2.2 session id starting with a dot', upload('.hidden', 'recording', 'call-.hidden.mp3'), 'sessionId'),
  bad('SE2.2 session id containing ".."', upload('x..y', 'recording', 'call-x..y.mp3'), 'sessionId'),
  bad('SE2.2 session id of 129 characters', upload('a'.repeat(129), 'recording', `call-${'a'.repeat(129)}.mp3`), 'sessionId'),
  bad('SE2.2 session id with a non-ASCII letter', upload('caf%C3%A9', 'recording', 'call-caf%C3%A9.mp3'), 'sessionId'),
  bad('SE2.2 file name with ../', upload('1', 'recording', '..%2F..%2Fcall-1.mp3'), 'fileName'),
  bad('SE2.2 file name of another session', upload('1', 'recording', 'call-2.mp3'), 'fileName'),
  bad('SE2.2 file name with another extension', upload('1', 'recording', 'call-1.exe'), 'fileName'),
  bad('SE2.2 file name with a second extension', upload('1', 'recording', 'call-1.mp3.sh'), 'fileName'),
  bad('SE2.2 media id with a slash', upload('1', 'media', 'call-1-photo-a%2F..%2Fb.jpg'), 'fileName'),
  bad('SE2.2 media id ".."', upload('1', 'media', 'call-1-photo-...jpg'), 'fileName'),
  bad('SE2.2 media id with a backslash', upload('1', 'media', 'call-1-video-a%5Cb.mp4'), 'fileName'),
  bad('SE2.2 a photo named .mp4', upload('1', 'media', 'call-1-photo-7.mp4'), 'fileName'),
  bad('SE2.2 a transcript named call-', upload('1', 'transcript', 'call-1.txt'), 'fileName'),
  bad('SE2.2 a recording named chat-', upload('1', 'recording', 'chat-1.mp3'), 'fileName'),
  bad('SE2.2 metadata cannot be uploaded', upload('1', 'metadata', 'call-1.json'), 'kind'),
  bad('SE2.2 an unknown kind', upload('1', 'fax', 'call-1.mp3'), 'kind'),
  bad('SE2.2 a kind with ../', upload('1', '..%2Frecording', 'call-1.mp3'), 'kind'),
  { name: 'P2.1 NUL in the session id', method: 'PUT', path: upload('a%00b', 'recording', 'call-a%00b.mp3'), status: 400, code: 'BadRequest', headers: bytes, body: 'x', as: ADMIN },
  { name: 'P2.1 NUL in the file name', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3%00.txt'), status: 400, code: 'BadRequest', headers: bytes, body: 'x', as: ADMIN },
  { name: 'P1 upload without a token', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 401, code: 'MissingToken', headers: bytes, body: 'x', as: 'none' },
  { name: 'P1 upload with a tampered token', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 401, code: 'InvalidToken', headers: bytes, body: 'x', as: 'tampered' },
  { name: 'P1.3 upload as an agent', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 403, code: 'Forbidden', headers: bytes, body: 'x', as: { tenantId: TENANT, roles: [Role.OmnichannelAgent] } },
  { name: 'SE1.1 upload for a tenant without settings', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 409, code: 'ExportsDisabled', headers: bytes, body: 'x', as: { tenantId: UNCONFIGURED_TENANT, roles: [Role.Administrator] } },
  { name: 'SE1.1 upload for a tenant with exports disabled', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 409, code: 'ExportsDisabled', headers: bytes, body: 'x', as: { tenantId: DISABLED_TENANT, roles: [Role.Administrator] } },
  { name: 'SE1.1 upload of a kind the tenant does not store', method: 'PUT', path: upload('1', 'voicemail', 'call-1.mp3'), status: 422, code: 'KindNotStored', headers: bytes, body: 'x', as: ADMIN },
  { name: 'SE3.5 upload declared larger than 2 GB', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 413, code: 'PayloadTooLarge', headers: bytes, declaredLength: 2 * 1024 ** 3 + 1, as: ADMIN },
  { name: 'SE3.5 upload as application/pdf', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 415, code: 'UnsupportedMediaType', headers: { 'content-type': 'application/pdf' }, body: 'x', as: ADMIN },
  { name: 'SE3.5 upload as JSON', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 415, code: 'UnsupportedMediaType', headers: { 'content-type': 'application/json' }, body: '{}', as: ADMIN },
  { name: 'SE3.5 upload gzip-encoded', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 415, code: 'UnsupportedMediaType', headers: { ...bytes, 'content-encoding': 'gzip' }, body: 'x', as: ADMIN },
  { name: 'SE3.5 upload without a body', method: 'PUT', path: upload('1', 'recording', 'call-1.mp3'), status: 415, code: 'UnsupportedMediaType', as: ADMIN },
  { name: "SE3.3 list another tenant's session", path: '/sessions/up-1/exports', status: 404, code: 'SessionNotFound', as: { tenantId: OTHER_TENANT, roles: [Role.Administrator] } },
  { name: "SE3.3 retry another tenant's session", method: 'POST', path: '/sessions/up-1/exports/retry', status: 404, code: 'SessionNotFound', as: { tenantId: OTHER_TENANT, roles: [Role.Administrator] } },
  { name: 'SE3.3 list an unknown session', path: '/sessions/nobody/exports', status: 404, code: 'SessionNotFound', as: ADMIN },
  { name: 'SE3.3 list with a traversal session id', path: '/sessions/..%2Fx/exports', status: 400, code: 'BadRequest', fields: ['sessionId'], as: ADMIN },
  { name: 'SE3.3 retry as a supervisor', method: 'POST', path: '/sessions/up-1/exports/retry', status: 403, code: 'Forbidden', as: { tenantId: TENANT, roles: [Role.OmnichannelSupervisor] } },
  { name: 'SE3.3 list as an agent', path: '/sessions/up-1/exports', status: 403, code: 'Forbidden', as: { tenantId: TENANT, roles: [Role.OmnichannelAgent] } },
  { name: 'SE1.4 download link with a wrong signature', path: 'LINK:signature=' + 'a'.repeat(64), status: 403, code: 'DownloadLinkInvalid', as: 'none' },
  { name: 'SE1.4 download link without a signature', path: 'LINK:signature=', status: 403, code: 'DownloadLinkInvalid', as: 'none' },
  { name: 'SE1.4 download link with a later expiry than signed', path: 'LINK:expires=+1', status: 403, code: 'DownloadLinkInvalid', as: 'none' },
  { name: 'SE1.4 download link for another generation', path: 'LINK:generation=2', status: 403, code: 'DownloadLinkInvalid', as: 'none' },
  { name: 'SE1.4 download link with a non-numeric expiry', path: 'LINK:expires=soon', status: 403, code: 'DownloadLinkInvalid', as: 'none' },
  { name: 'SE1.4 download link of another file', path: 'LINK:file', status: 403, code: 'DownloadLinkInvalid', as: 'none' },
  { name: 'SE1.4 an expired download link', path: 'LINK:expired', status: 410, code: 'DownloadLinkExpired', as: 'none' },
];

/** LINK:… rows are built from a valid link to the uploaded file, changed as the row says. */
function downloadPath(spec: string): string {
  const crm = app.app.get(CrmHandover);
  const now = app.clock.now();
  const expired = spec === 'LINK:expired';
  const link = new URL(crm.downloadOf({ id: uploadedFileId, generation: 1, sourceKind: 'upload', sourceUrl: null } as never, expired ? new Date(now.getTime() - 25 * 3_600_000) : now)!.url);
  const change = spec.slice('LINK:'.length);
  if (change === 'file') return link.pathname.replace(uploadedFileId, randomUUID()) + link.search;
  if (change !== 'expired') {
    const [key, value] = change.split('=') as [string, string];
    link.searchParams.set(key, value === '+1' ? String(Number(link.searchParams.get(key)) + 1) : value);
  }
  return link.pathname + link.search;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => []);
  return entries.map(String).sort();
}

beforeAll(async () => {
  sftp = await startSftpServer();
  for (const folder of ['refusals', 'other']) {
    await mkdir(join(sftp.rootDir, folder), { mode: 0o777 });
    await chmod(join(sftp.rootDir, folder), 0o777);
  }
  app = await startExportsTestApp();
  const destination = { backend: 'sftp' as const, host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, folderPath: 'refusals' };
  testExportSettings.set(TENANT, { enabled: true, kinds: ['recording', 'transcript', 'media', 'metadata'], sendToCrm: true, destination });
  testExportSettings.set(OTHER_TENANT, { enabled: true, kinds: ['recording'], sendToCrm: false, destination: { ...destination, folderPath: 'other' } });
  testExportSettings.set(DISABLED_TENANT, { enabled: false, kinds: ['recording'], sendToCrm: false, destination });
  for (const role of [Role.Administrator]) tokens[role] = await app.token(TENANT, [role]);
  const accepted = await app.call(upload('up-1', 'recording', 'call-up-1.mp3'), { method: 'PUT', tenantId: TENANT, roles: [Role.Administrator], headers: bytes, body: 'recorded bytes' });
  expect(accepted.status).toBe(202);
  uploadedFileId = (await app.prisma.exportFile.findFirstOrThrow({ where: { tenantId: TENANT, sessionId: 'up-1' } })).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await sftp?.stop();
});

describe('hostile requests to the export pipeline (P2.1, SE2.2, SE3.5, SE1.4)', () => {
  itRefusesEveryRow(
    rows,
    async (row) => {
      const headers: Record<string, string> = { ...row.headers };
      if (row.as === 'tampered') headers['authorization'] = `Bearer ${tokens[Role.Administrator]!.slice(0, -4)}AAAA`;
      else if (row.as && row.as !== 'none') headers['authorization'] = `Bearer ${await app.token(row.as.tenantId, row.as.roles)}`;
      const path = row.path.startsWith('LINK:') ? downloadPath(row.path) : row.path;
      return rawRequest(app.url, { method: row.method ?? 'GET', path, headers, body: row.body, declaredLength: row.declaredLength });
    },
    async () => ({
      exportFiles: await app.prisma.exportFile.count(),
      stagedUploads: await app.prisma.stagedUpload.count(),
      chunks: await app.prisma.stagedUploadChunk.count(),
      jobs: (await app.prisma.sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${app.prisma.schema}".job`))[0]!.n,
      outbox: (await app.outbox()).length,
      sftp: await filesUnder(sftp.rootDir),
    }),
  );
});
