// The framework-free entries: the library index loads NestJS, whose decorators tsx cannot compile.
import { mintDevToken } from '@switchboard/auth/dev-tokens';
import { contactSessionExamples, ContactSessionEventTypes, createCloudEvent, sessionMetadataExample, Topics } from '@switchboard/contracts';
import { withConnection } from '@switchboard/persistence/migrate';
import { type SftpServer, startSftpServer } from '@switchboard/testing';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chown, mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { benchKafka } from '../bench-service';
import { childExit, spawnTsChild } from '../ts-child-process';
import { type BenchEnvironment, type CleanupStack, withCleanup } from '../cleanup-stack';
import { startServiceUnderLoad } from '../load-bench';
import { formatProfileSummary, type ProfileSummary } from '../cpu-profile-summary';
import { mib, rssBytes, rssVerdict, sampleRss } from './rss';

const SERVICE = 'storage-export';
const run = promisify(execFile);

export interface ExportBenchOptions extends BenchEnvironment {
  /** Small files exported in the side-by-side run, and their size (the issue's set: 1,000). */
  files: number;
  fileKiB: number;
  /** Large files exported side by side after them, and their size (the issue's set: five of 100 MB); 0 files leaves them out. */
  bigFiles: number;
  bigMiB: number;
  /** One recording of this size exported by the service alone while its RSS is sampled (the issue's 1 GiB); 0 leaves it out. */
  rssMiB: number;
}

/** One side's figures for one set of files. */
export interface ExportRun {
  files: number;
  bytes: number;
  seconds: number;
  mibPerSecond: number;
}

export interface ExportBenchReport {
  /** The benchmark's database (dropped at the end). */
  database: string;
  /** bare: the ceiling for a Node process (undici + ssh2 and nothing else, bare-exporter-process.ts); ceiling = bare / rclone. */
  small: { service: ExportRun; rclone: ExportRun; ratio: number; bare?: ExportRun; ceiling?: number };
  big?: { service: ExportRun; rclone: ExportRun; ratio: number; servicePeakRssMiB: number };
  /** The service's resident memory: started and idle, after the side-by-side sets, and at its peak while exporting the one large recording. */
  memory: { idleMiB: number; beforeMiB: number; file?: ExportRun; peakMiB?: number; overGoal?: boolean; verdict?: string };
  /** With --cpu-prof: where the service's CPU time went while it exported the small files. */
  cpuProfile?: { file: string; summary: ProfileSummary };
  notes: string[];
  problems: string[];
}

/** Runs the export benchmark and always cleans up (service, SFTP server, files, database) before returning. */
export function runExportBench(options: ExportBenchOptions): Promise<ExportBenchReport> {
  return withCleanup(options.cleanup, options.log, (cleanup) => benchWith(options, cleanup));
}

async function benchWith(options: ExportBenchOptions, cleanup: CleanupStack): Promise<ExportBenchReport> {
  const { log } = options;
  const sources = await mkdtemp(join(tmpdir(), 'sb-bench-export-'));
  cleanup.add('remove the source files', () => rm(sources, { recursive: true, force: true }));
  log(`writing ${options.files} × ${options.fileKiB} KiB, ${options.bigFiles} × ${options.bigMiB} MiB${options.rssMiB ? ` and one ${options.rssMiB} MiB file` : ''} to ${sources}`);
  const small = await writeSources(join(sources, 'small'), options.files, options.fileKiB * 1024, 'call-small');
  const big = options.bigFiles > 0 && options.bigMiB > 0 ? await writeSources(join(sources, 'big'), options.bigFiles, options.bigMiB * 1024 * 1024, 'call-big') : undefined;
  const huge = options.rssMiB > 0 ? await writeSources(join(sources, 'huge'), 1, options.rssMiB * 1024 * 1024, 'call-huge') : undefined;

  const sftp = await startSftpServer();
  cleanup.add('stop the SFTP server', () => sftp.stop());
  for (const folder of ['service', 'rclone', 'rclone-big', 'bare']) await ownedFolder(sftp, folder);

  const files = await serveFiles(sources);
  cleanup.add('stop the file server', () => new Promise<void>((resolve) => files.server.close(() => resolve())));

  const kafka = await benchKafka(options.kafkaBrokers, cleanup, log);
  const stack = await startServiceUnderLoad({ ...options, kafkaBrokers: kafka.brokers, durationSeconds: 0, warmupSeconds: 0, connections: 1 }, cleanup, {
    name: SERVICE,
    env: {
      OUTBOUND_HTTP_ALLOW: '127.0.0.1/32',
      SFTP_SESSIONS_PER_DESTINATION: '4',
      JOBS_POLL_INTERVAL_MS: '50',
      ...(kafka.isMock && { KAFKA_IDEMPOTENT_PRODUCER: 'false' }),
    },
  });
  const servicePid = stack.service.process.pid;
  if (servicePid === undefined) throw new Error(`${SERVICE} has no process id`);
  // Resident memory of the service started and idle, before it exported anything: what the large file adds is measured against it.
  const idleRss = mib(await rssBytes(servicePid));
  const tenantId = randomUUID();
  await connectSftp(stack.service.url, await mintDevToken({ tenantId, roles: ['Administrator'], keysDir: stack.keysDir }), sftp);
  const producer = new Kafka({ clientId: 'bench-export', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  cleanup.add('disconnect the producer', () => producer.disconnect());
  const table = await exportFileTable(stack.database.url);
  const rclone = await rcloneRemote(sftp, sources);

  const exportSet = (set: string, exported: SourceFile[]) => () => exportThroughService(producer, stack.database.url, table, tenantId, files.url, exported, set);
  log('service: one unmeasured export first (consumer group joined, sessions open, code warm)');
  await exportSet('small', small.slice(0, 1))();
  log(`service: exporting ${small.length} files (SessionEnded → fetch by URL → SFTP, temporary name + rename)`);
  let serviceNames: string[] = [];
  stack.profiler?.start(stack.service.process);
  const serviceSmall = await timed(small, async () => void (serviceNames = await exportSet('small', small)()));
  const cpuProfile = await stack.profiler?.stopAndSummarize(stack.service.process);
  log(`rclone: copying the same ${small.length} files`);
  const rcloneSmall = await timed(small, () => rclone.copy(join(sources, 'small'), 'rclone'));
  log(`bare exporter: the same ${small.length} files, undici + ssh2 and nothing else`);
  const bareSmall = await bareExport(options.workspaceRoot, sftp, `${files.url}/small`, small, 'bare');
  const problems = [
    ...(await checkDelivered(sftp, small, 'service/ujet-voice-recordings', serviceNames)),
    ...(await checkDelivered(sftp, small, 'rclone')),
    ...(await checkDelivered(sftp, small, 'bare')),
  ];
  const report: ExportBenchReport = {
    database: stack.database.name,
    small: {
      service: serviceSmall,
      rclone: rcloneSmall,
      ratio: serviceSmall.mibPerSecond / rcloneSmall.mibPerSecond,
      bare: bareSmall,
      ceiling: bareSmall.mibPerSecond / rcloneSmall.mibPerSecond,
    },
    memory: { idleMiB: idleRss, beforeMiB: idleRss },
    ...(cpuProfile && { cpuProfile }),
    notes: [
      `service: storage-export (built), SessionEnded events on Kafka naming each file's URL on a local node:http server; it streams each to the SFTP server as .<name>.<uuid>.part, renames it with posix-rename@openssh.com; timed until every export_file row is exported; 4 jobs and 4 SFTP sessions at once`,
      'rclone: rclone copy of the same files from local disk, --transfers 4, --sftp-disable-hashcheck --sftp-set-modtime=false (its fastest: no remote hashing, no extra SETSTAT); rclone 1.60 writes in place (no temporary name)',
      `SFTP server: Debian OpenSSH sshd on 127.0.0.1:${sftp.port} (internal-sftp), the same for both`,
      'bare exporter (small files only): a Node process fetching the same URLs with undici and writing them with ssh2 (4 sessions, .part + posix-rename, all of a file\'s writes in flight) with no database, Kafka, checksums, retries or events, timed warm from its sessions being open; its ratio to rclone is the ceiling for any Node service here',
    ],
    problems,
  };
  if (big) {
    log(`service: exporting ${big.length} × ${options.bigMiB} MiB while sampling its RSS`);
    const sampler = sampleRss(servicePid);
    let bigNames: string[] = [];
    const serviceBig = await timed(big, async () => void (bigNames = await exportSet('big', big)()));
    const peak = mib(sampler.stop());
    log(`rclone: copying the same ${big.length} × ${options.bigMiB} MiB`);
    const rcloneBig = await timed(big, () => rclone.copy(join(sources, 'big'), 'rclone-big'));
    report.big = { service: serviceBig, rclone: rcloneBig, ratio: serviceBig.mibPerSecond / rcloneBig.mibPerSecond, servicePeakRssMiB: peak };
    report.problems.push(...(await checkDelivered(sftp, big, 'service/ujet-voice-recordings', bigNames)), ...(await checkDelivered(sftp, big, 'rclone-big')));
  }
  report.memory.beforeMiB = mib(await rssBytes(servicePid));
  if (huge) {
    log(`service: exporting one ${options.rssMiB} MiB recording while sampling its RSS`);
    const sampler = sampleRss(servicePid);
    let hugeNames: string[] = [];
    const file = await timed(huge, async () => void (hugeNames = await exportSet('huge', huge)()));
    const peak = sampler.stop();
    const verdict = rssVerdict(peak);
    report.memory = { ...report.memory, file, peakMiB: mib(peak), overGoal: verdict.overGoal, verdict: verdict.text };
    report.problems.push(...(await checkDelivered(sftp, huge, 'service/ujet-voice-recordings', hugeNames)));
  }
  return report;
}

interface SourceFile {
  name: string;
  size: number;
}

/** `count` files of random bytes, written in 1 MiB pieces (never held whole). */
async function writeSources(folder: string, count: number, size: number, prefix: string): Promise<SourceFile[]> {
  await mkdir(folder, { recursive: true });
  const block = randomBytes(Math.min(size, 1024 * 1024));
  const files: SourceFile[] = [];
  for (let index = 0; index < count; index++) {
    const name = `${prefix}-${index}.wav`;
    const out = createWriteStream(join(folder, name));
    for (let written = 0; written < size; ) {
      const piece = block.subarray(0, Math.min(block.length, size - written));
      // Each file differs from the others: its index is stamped into its first bytes.
      if (written === 0) piece.writeUInt32BE(index, 0);
      written += piece.length;
      if (!out.write(Buffer.from(piece))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    files.push({ name, size });
  }
  return files;
}

/** A folder under the SFTP account's home that the account owns (as root the account is another user). */
async function ownedFolder(sftp: SftpServer, folder: string): Promise<void> {
  const owner = await stat(sftp.rootDir);
  await mkdir(join(sftp.rootDir, folder), { recursive: true });
  await chown(join(sftp.rootDir, folder), owner.uid, owner.gid);
}

function serveFiles(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://files').pathname));
    if (!path.startsWith(root)) return void response.writeHead(404).end();
    stat(path).then(
      (stats) => {
        response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': stats.size });
        createReadStream(path).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** Connect and save (SE1.3), as an administrator does: recordings only, into the `service` folder. */
async function connectSftp(serviceUrl: string, token: string, sftp: SftpServer): Promise<void> {
  const response = await fetch(`${serviceUrl}/storage-export/settings/connect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      folderPath: 'service',
      fileKinds: ['recordings'],
      destination: { backend: 'sftp', host: sftp.host, port: sftp.port, username: sftp.user, privateKey: sftp.privateKey, passphrase: sftp.passphrase, hostKeyFingerprint: sftp.hostKeyFingerprint },
    }),
  });
  if (response.status !== 200) throw new Error(`${SERVICE} refused the benchmark's SFTP settings (${response.status}): ${(await response.text()).slice(0, 2_000)}`);
}

async function exportFileTable(databaseUrl: string): Promise<string> {
  return withConnection(databaseUrl, async (client) => {
    const { rows } = await client.query<{ table_schema: string }>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'export_file'");
    if (!rows[0]) throw new Error('export_file table not found');
    return `"${rows[0].table_schema}".export_file`;
  });
}

/**
 * Publishes one SessionEnded per file (its recording's URL on the file server), waits until every file is
 * exported, and returns the names the service gave them (call-{session id}.wav, SE2.2), in the files' order.
 */
async function exportThroughService(producer: Producer, databaseUrl: string, table: string, tenantId: string, filesUrl: string, files: SourceFile[], set: string): Promise<string[]> {
  const prefix = `bench-${set}-${randomBytes(3).toString('hex')}`;
  const events = files.map((file, index) => {
    const sessionId = `${prefix}-${index}`;
    const metadata = { ...sessionMetadataExample, session: { ...sessionMetadataExample.session, id: sessionId } };
    const data = {
      ...contactSessionExamples.ended,
      sessionId,
      occurredAt: contactSessionExamples.ended.times.endedAt,
      version: metadata.version,
      metadata,
      recordings: [{ id: `rec-${index}`, url: `${filesUrl}/${set}/${file.name}`, contentType: 'audio/wav' }],
    };
    return createCloudEvent({ type: ContactSessionEventTypes.ended, source: '/switchboard/bench', subject: sessionId, tenantId, data });
  });
  for (let start = 0; start < events.length; start += 500) {
    await producer.send({ topic: Topics.contactSession, acks: -1, messages: events.slice(start, start + 500).map((event) => ({ key: event.subject, value: JSON.stringify(event) })) });
  }
  await withConnection(databaseUrl, async (client) => {
    for (;;) {
      const { rows } = await client.query<{ exported: string; failed: string }>(
        `SELECT count(*) FILTER (WHERE status = 'exported') AS exported, count(*) FILTER (WHERE status = 'failed') AS failed FROM ${table} WHERE tenant_id = $1 AND session_id LIKE $2`,
        [tenantId, `${prefix}-%`],
      );
      const [{ exported, failed } = { exported: '0', failed: '0' }] = rows;
      if (Number(failed) > 0) throw new Error(`${failed} exports failed`);
      if (Number(exported) === files.length) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
  return files.map((_, index) => `call-${prefix}-${index}.wav`);
}

async function timed(files: SourceFile[], work: () => Promise<void>): Promise<ExportRun> {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return { files: files.length, bytes, seconds, mibPerSecond: bytes / 1024 / 1024 / seconds };
}

/** The bare exporter (bare-exporter-process.ts) in its own process over the same files; its own warm timing. */
async function bareExport(workspaceRoot: string, sftp: SftpServer, baseUrl: string, exported: SourceFile[], folder: string): Promise<ExportRun> {
  const work = {
    host: sftp.host,
    port: sftp.port,
    username: sftp.user,
    privateKey: sftp.privateKey,
    passphrase: sftp.passphrase,
    folder,
    files: exported.map((file) => [`${baseUrl}/${file.name}`, file.name]),
    sessions: 4,
  };
  const child = spawnTsChild({ workspaceRoot, entry: 'tools/bench/export/bare-exporter-process.ts', env: { BARE_EXPORT: JSON.stringify(work) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await childExit(child);
  if (code !== 0) throw new Error(`the bare exporter exited with ${code}`);
  const { seconds } = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { seconds: number };
  const bytes = exported.reduce((sum, file) => sum + file.size, 0);
  return { files: exported.length, bytes, seconds, mibPerSecond: bytes / 1024 / 1024 / seconds };
}

/** rclone against the same SFTP server and account, configured on the command line (no config file). */
async function rcloneRemote(sftp: SftpServer, scratch: string): Promise<{ copy(from: string, folder: string): Promise<void> }> {
  const keyFile = join(scratch, 'rclone-key');
  await writeFile(keyFile, sftp.privateKey, { mode: 0o600 });
  const obscured = (await run('rclone', ['obscure', sftp.passphrase])).stdout.trim();
  const remote = `:sftp,host=${sftp.host},port=${sftp.port},user=${sftp.user},key_file=${keyFile},key_file_pass=${obscured}`;
  return {
    async copy(from, folder) {
      await run('rclone', ['copy', from, `${remote}:${folder}`, '--transfers', '4', '--sftp-disable-hashcheck', '--sftp-set-modtime=false', '--config', '/dev/null', '-q'], { maxBuffer: 16 * 1024 * 1024 });
    },
  };
}

/** Every file in the folder, whole (size, and the index stamped in its first bytes), and no temporary name left. */
async function checkDelivered(sftp: SftpServer, files: SourceFile[], folder: string, names = files.map((file) => file.name)): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, file] of files.entries()) {
    const name = names[index] ?? file.name;
    const path = join(sftp.rootDir, folder, name);
    const size = await stat(path).then((stats) => stats.size, () => -1);
    if (size !== file.size) {
      problems.push(`${folder}/${name}: ${size < 0 ? 'missing' : `${size} bytes, ${file.size} expected`}`);
      continue;
    }
    const head = Buffer.alloc(4);
    const handle = await open(path, 'r');
    await handle.read(head, 0, 4, 0).finally(() => handle.close());
    if (head.readUInt32BE(0) !== index) problems.push(`${folder}/${name}: not the file sent`);
  }
  const left = (await readdir(join(sftp.rootDir, folder))).filter((name) => name.endsWith('.part'));
  if (left.length > 0) problems.push(`${folder}: ${left.length} temporary files left`);
  return problems;
}

export function formatExportReport(report: ExportBenchReport): string {
  const line = (label: string, figures: ExportRun) => `  ${label.padEnd(8)} ${String(figures.files).padStart(5)} files  ${(figures.bytes / 1024 / 1024).toFixed(1).padStart(8)} MiB  ${figures.seconds.toFixed(2).padStart(7)} s  ${figures.mibPerSecond.toFixed(1).padStart(7)} MiB/s`;
  const lines = [
    'storage-export SFTP export benchmark (npm run bench:export)',
    `small files (${report.small.service.files} × ${(report.small.service.bytes / report.small.service.files / 1024).toFixed(0)} KiB):`,
    line('service', report.small.service),
    line('rclone', report.small.rclone),
    ...(report.small.bare ? [line('bare', report.small.bare)] : []),
    `  ratio service/rclone: ${report.small.ratio.toFixed(2)} (goal ≥ 1.0)${report.small.ceiling === undefined ? '' : `; ceiling bare/rclone: ${report.small.ceiling.toFixed(2)}`}`,
  ];
  if (report.big) {
    const { service } = report.big;
    lines.push(
      `large files (${service.files} × ${(service.bytes / service.files / 1024 / 1024).toFixed(0)} MiB):`,
      line('service', service),
      line('rclone', report.big.rclone),
      `  ratio service/rclone: ${report.big.ratio.toFixed(2)} (goal ≥ 1.0); service RSS peak ${report.big.servicePeakRssMiB.toFixed(0)} MiB`,
    );
  }
  const { memory } = report;
  lines.push(`service RSS: ${memory.idleMiB.toFixed(0)} MiB started and idle, ${memory.beforeMiB.toFixed(0)} MiB after the sets above`);
  if (memory.file && memory.verdict) {
    lines.push(`one large recording (${(memory.file.bytes / 1024 / 1024).toFixed(0)} MiB), service alone:`, line('service', memory.file), `  service RSS ${memory.verdict}`);
  }
  if (report.cpuProfile) lines.push(formatProfileSummary(report.cpuProfile.summary, report.cpuProfile.file));
  lines.push('notes:', ...report.notes.map((note) => `  - ${note}`));
  lines.push(report.problems.length ? `problems:\n${report.problems.map((problem) => `  - ${problem}`).join('\n')}` : 'problems: none (every file whole on both sides)');
  return lines.join('\n');
}
