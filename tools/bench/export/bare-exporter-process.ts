/**
 * The small-file export's ceiling for a Node process on this machine, for `npm run bench:export`: the same files
 * fetched from the same file server with undici and written to the same SFTP server with ssh2 (4 sessions, 4 files
 * at once, `.part` name then posix-rename, every write of a file in flight at once), and nothing else — no database,
 * no Kafka, no checksums, no retries, no SSRF guard, no events. Whatever a service adds to make each export
 * durable and visible comes on top of this. Reads its work from BARE_EXPORT (JSON); once every file is in place prints
 * `{"seconds": …}`, the time from its sessions being open to the last rename (warm, like the service's figure), and exits 0.
 */
import { randomUUID } from 'node:crypto';
import { Client, type SFTPWrapper } from 'ssh2';
import { request } from 'undici';

interface BareExport {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  passphrase: string;
  folder: string;
  /** [url, file name] pairs. */
  files: Array<[string, string]>;
  sessions: number;
}

const WRITE_LENGTH = 32 * 1024;

function connect(work: BareExport): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('error', reject);
    client.once('ready', () => client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))));
    // The key is decrypted per connection (about a second each, before the timing starts).
    client.connect({ host: work.host, port: work.port, username: work.username, privateKey: work.privateKey, passphrase: work.passphrase });
  });
}

function call<T = void>(operation: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => operation((error, value) => (error ? reject(error) : resolve(value as T))));
}

async function exportOne(sftp: SFTPWrapper, url: string, target: string): Promise<void> {
  const response = await request(url);
  const body = Buffer.from(await response.body.arrayBuffer());
  const temporary = `${target}.${randomUUID()}.part`;
  const handle = await call<Buffer>((done) => sftp.open(temporary, 'w', done));
  const writes: Array<Promise<void>> = [];
  for (let offset = 0; offset < body.length; offset += WRITE_LENGTH) {
    const length = Math.min(WRITE_LENGTH, body.length - offset);
    writes.push(call((done) => sftp.write(handle, body, offset, length, offset, done)));
  }
  await Promise.all(writes);
  await call((done) => sftp.close(handle, done));
  await call((done) => sftp.ext_openssh_rename(temporary, target, done));
}

async function main(): Promise<void> {
  const work = JSON.parse(process.env['BARE_EXPORT'] ?? '{}') as BareExport;
  const sessions = await Promise.all(Array.from({ length: work.sessions }, () => connect(work)));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    sessions.map(async (sftp) => {
      for (let file = work.files[next++]; file; file = work.files[next++]) {
        await exportOne(sftp, file[0], `${work.folder}/${file[1]}`);
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000 })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare exporter failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
