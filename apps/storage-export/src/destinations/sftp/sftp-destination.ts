import type { HostResolver, OutboundAddressPolicy } from '@switchboard/outbound-http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { posix } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type PasswordAuthMethod, type PublicKeyAuthMethod, type SFTPWrapper, utils } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { allowedAddressOf } from '../address-guard';
import { algorithmsFor, checkAgainstExpected, ChecksumStream } from '../checksum-stream';
import type { SftpDestinationSettings } from '../destination-settings';
import { checkedRelativePath, probeFileName, underFolder } from '../destination-path';
import { DestinationError, type DestinationFile, type PutFile, type StorageDestination, type StoredFile } from '../storage-destination';
import { streamWithDeadline } from '../stream-deadline';
import { breaksSession, connectFailure, operationFailure } from './sftp-errors';
import { SftpFileWriter } from './sftp-file-writer';
import { SessionPool } from './session-pool';
import { channelClosed, channelClosedError, sftpRequest } from './sftp-request';

export interface SftpDestinationOptions {
  policy: OutboundAddressPolicy;
  resolver?: HostResolver;
  /** Sessions kept open at once (parallel uploads). */
  sessions: number;
  /** Connect + login time, and the longest silence tolerated mid-transfer. */
  timeoutMs: number;
}

interface Session {
  client: SftpClient;
  sftp: SFTPWrapper;
}

/**
 * An SFTP server (SE1.2) through ssh2-sftp-client: a few sessions kept open and shared, host key
 * pinned by fingerprint, uploads written to `.<name>.<uuid>.part` in the target folder and renamed
 * into place with posix-rename@openssh.com (atomic replace, SE3.3). Servers without that extension
 * get a plain SFTP rename, which is atomic when the target does not exist yet; when it does, it is
 * removed first — a short window in which the file is absent, never partial.
 */
export class SftpDestination implements StorageDestination {
  readonly backend = 'sftp';
  private readonly pool: SessionPool<Session>;
  /** Folders known to exist (created or seen), each checked once per destination; shared promises so parallel puts create a folder once. */
  private readonly folders = new Map<string, Promise<void>>();
  private readonly where: string;
  private parsedKey: ReturnType<typeof utils.parseKey> | undefined;
  /** Temporary files being written by this destination now. */
  private readonly inFlight = new Set<string>();
  /** Temporary files of earlier attempts, by the file they were for: removed before that file is put again. */
  private readonly leftovers = new Map<string, Set<string>>();
  /** Folders whose leftovers from before this destination were looked for (once each). */
  private readonly sweptFolders = new Map<string, Promise<void>>();

  constructor(
    private readonly settings: SftpDestinationSettings,
    private readonly options: SftpDestinationOptions,
  ) {
    this.where = `SFTP server ${settings.host}:${settings.port}`;
    this.pool = new SessionPool(
      options.sessions,
      () => this.connect(),
      async (session) => void (await session.client.end()),
      // ssh2-sftp-client forgets the channel when the connection closes; ssh2 marks the channel closed.
      (session) => (session.client as unknown as { sftp?: unknown }).sftp !== undefined && !channelClosed(session.sftp),
    );
  }

  async put(file: DestinationFile, signal?: AbortSignal): Promise<PutFile> {
    const target = underFolder(this.settings.folderPath, checkedRelativePath(file.path));
    const folder = posix.dirname(target);
    const temporary = posix.join(folder, `.${posix.basename(target)}.${randomUUID()}.part`);
    return this.pool.use(async (session) => {
      await this.ensureFolder(session, folder);
      await this.removeLeftovers(session, target);
      this.inFlight.add(temporary);
      try {
        const written = await this.upload(session, file, temporary, signal);
        await this.renameIntoPlace(session, temporary, target);
        return { path: file.path, ...written };
      } catch (error) {
        // On a dead connection the temporary file could not be removed: the next put of this file does it.
        if (breaksSession(error)) this.rememberLeftover(target, temporary);
        throw error;
      } finally {
        this.inFlight.delete(temporary);
      }
    }, breaksSession);
  }

  /**
   * Removes the temporary files of earlier attempts at this file (SE3.3): those this process left on a dead
   * connection, and those found in the folder when this destination first wrote there (a crashed process's,
   * or another replica's): any untouched for longer than the idle timeout at once — no live upload can be,
   * it would have been cut — and the others once this same file is put again (its export job is exclusive,
   * so the attempt that wrote them is over). Uploads in flight here are never touched; each folder is listed once.
   */
  private async removeLeftovers(session: Session, target: string): Promise<void> {
    const folder = posix.dirname(target);
    let swept = this.sweptFolders.get(folder);
    if (!swept) {
      swept = this.sweepFolder(session, folder);
      this.sweptFolders.set(folder, swept);
      swept.catch(() => this.sweptFolders.delete(folder));
    }
    await swept;
    const earlier = this.leftovers.get(target);
    if (!earlier) return;
    this.leftovers.delete(target);
    for (const path of earlier) await sftpRequest(session.sftp, (done) => session.sftp.unlink(path, done)).catch(() => undefined);
  }

  private async sweepFolder(session: Session, folder: string): Promise<void> {
    const entries = await sftpRequest<Array<{ filename: string; attrs: { mtime: number } }>>(session.sftp, (done) => session.sftp.readdir(folder, done)).catch(() => []);
    const staleBefore = Date.now() / 1000 - this.options.timeoutMs / 1000;
    for (const entry of entries) {
      const match = TEMPORARY_NAME.exec(entry.filename);
      const path = posix.join(folder, entry.filename);
      if (!match || this.inFlight.has(path)) continue;
      if (entry.attrs.mtime < staleBefore) await sftpRequest(session.sftp, (done) => session.sftp.unlink(path, done)).catch(() => undefined);
      else this.rememberLeftover(posix.join(folder, match[1]!), path);
    }
  }

  private rememberLeftover(target: string, temporary: string): void {
    this.leftovers.set(target, (this.leftovers.get(target) ?? new Set()).add(temporary));
  }

  async stat(path: string, options: { withChecksums?: boolean } = {}): Promise<StoredFile | undefined> {
    const target = underFolder(this.settings.folderPath, checkedRelativePath(path));
    return this.pool.use(async ({ sftp }) => {
      const stats = await sftpRequest<{ size: number; isFile(): boolean } | undefined>(sftp, (done) => sftp.stat(target, done)).catch((error: { code?: number }) => {
        if (error.code === 2) return undefined;
        throw operationFailure(error, `stat ${target}`);
      });
      if (!stats?.isFile()) return undefined;
      if (!options.withChecksums) return { path, size: stats.size };
      if (channelClosed(sftp)) throw channelClosedError(`read ${target}`);
      // SHA-256 alone: a re-run compares it (file-export.job's alreadyThere), and MD5 would cost more than SHA-256 (SHA-NI) here.
      const checksums = new ChecksumStream(['sha256']);
      const reading = sftp.createReadStream(target);
      // A read request made after the channel closed would never be answered: the close ends the read.
      const onClose = () => reading.destroy(channelClosedError(`read ${target}`));
      sftp.once('close', onClose);
      // The hashing stream passes the bytes on: they are drained here, or it stops at its 16 KiB buffer and never finishes.
      await pipeline(reading, checksums, discard())
        .catch((error) => {
          throw operationFailure(error, `read ${target}`);
        })
        .finally(() => sftp.off('close', onClose));
      return { path, ...checksums.result() };
    }, breaksSession);
  }


  urlOf(path: string): string {
    const target = underFolder(this.settings.folderPath, checkedRelativePath(path));
    const location = target.startsWith('/') ? target : `/~/${target}`;
    const host = this.settings.host.includes(':') ? `[${this.settings.host}]` : this.settings.host;
    return `sftp://${encodeURIComponent(this.settings.username)}@${host}:${this.settings.port}${location.split('/').map(encodeURIComponent).join('/')}`;
  }

  async probe(): Promise<void> {
    await this.pool.use(async (session) => {
      const folder = this.settings.folderPath.replace(/\/+$/, '') || '.';
      await this.checkFolder(session, folder);
      const probe = posix.join(folder, probeFileName());
      await sftpRequest(session.sftp, (done) => session.sftp.writeFile(probe, 'Switchboard storage-export connection check\n', done)).catch((error) => {
        throw operationFailure(error, `write a probe file in ${folder}`);
      });
      await sftpRequest(session.sftp, (done) => session.sftp.unlink(probe, done)).catch((error) => {
        throw operationFailure(error, `remove the probe file ${probe}`);
      });
    }, breaksSession);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async connect(): Promise<Session> {
    const { settings, options } = this;
    const address = await allowedAddressOf(settings.host, options.policy, options.resolver);
    const pinned = settings.hostKeyFingerprint;
    let hostKeyRefused = false;
    const client = new SftpClient('storage-export');
    try {
      const sftp = (await client.connect({
        host: address,
        port: settings.port,
        username: settings.username,
        authHandler: this.logins(),
        readyTimeout: options.timeoutMs,
        keepaliveInterval: 15_000,
        // With a fingerprint set, any other host key ends the handshake before authentication: nothing is sent unpinned.
        hostVerifier: pinned
          ? (key: Buffer) => {
              hostKeyRefused = !sameFingerprint(fingerprintOf(key), pinned);
              return !hostKeyRefused;
            }
          : undefined,
      })) as unknown as SFTPWrapper;
      // ssh2 leaves Nagle's algorithm on: each small request would then wait for the peer's delayed ACK (~40 ms).
      (client as unknown as { client: { setNoDelay(noDelay: boolean): void } }).client.setNoDelay(true);
      return { client, sftp };
    } catch (error) {
      await client.end().catch(() => undefined);
      throw connectFailure(error, this.where, hostKeyRefused);
    }
  }

  /**
   * The logins to try, key first. The key is decrypted once per destination: decrypting an OpenSSH
   * key (bcrypt KDF, in JavaScript) takes about a second, which ssh2 would otherwise spend on every connection.
   */
  private logins(): Array<PublicKeyAuthMethod | PasswordAuthMethod> {
    const { username, password, privateKey, passphrase } = this.settings;
    const logins: Array<PublicKeyAuthMethod | PasswordAuthMethod> = [];
    if (privateKey) {
      this.parsedKey ??= utils.parseKey(privateKey, passphrase);
      const key = Array.isArray(this.parsedKey) ? this.parsedKey[0] : this.parsedKey;
      if (key instanceof Error || !key) {
        throw new DestinationError('auth_refused', 'The private key could not be read (wrong passphrase, or not an SSH private key)', { cause: key, retryable: false });
      }
      logins.push({ type: 'publickey', username, key });
    }
    if (password) logins.push({ type: 'password', username, password });
    return logins;
  }

  /** The configured folder must exist (a typo is reported, not created); folders below it are created. */
  private ensureFolder(session: Session, folder: string): Promise<void> {
    const known = this.folders.get(folder);
    if (known) return known;
    const base = this.settings.folderPath.replace(/\/+$/, '') || '.';
    const ensured = (async () => {
      if (folder === base) return this.checkFolder(session, base);
      await this.ensureFolder(session, posix.dirname(folder));
      await sftpRequest(session.sftp, (done) => session.sftp.mkdir(folder, done)).catch(async (error: { code?: number }) => {
        // Another replica (or an earlier run) made it: fine when it is a folder now.
        const isFolder = await sftpRequest<{ isDirectory(): boolean }>(session.sftp, (done) => session.sftp.stat(folder, done)).then((stats) => stats.isDirectory(), () => false);
        if (!isFolder) throw operationFailure(error, `create the folder ${folder}`);
      });
    })();
    this.folders.set(folder, ensured);
    ensured.catch(() => this.folders.delete(folder));
    return ensured;
  }

  private async checkFolder(session: Session, folder: string): Promise<void> {
    const stats = await sftpRequest<{ isDirectory(): boolean }>(session.sftp, (done) => session.sftp.stat(folder, done)).catch((error) => {
      const failure = operationFailure(error, `the folder ${folder}`);
      if (failure.kind === 'folder_missing') throw new DestinationError('folder_missing', `The folder ${folder} does not exist on ${this.where}`, { cause: error, retryable: false });
      throw failure;
    });
    if (!stats.isDirectory()) throw new DestinationError('folder_missing', `${folder} on ${this.where} is not a folder`, { retryable: false });
  }

  private async upload(session: Session, file: DestinationFile, temporary: string, signal: AbortSignal | undefined): Promise<Omit<PutFile, 'path'>> {
    // One pass over the bytes, the caller reports its hashes and hashes nothing itself. SHA-256 always; MD5 only to verify
    // one the caller knows (an SFTP server has no use for it, and it was a third of the CPU of a large file's export).
    const checksums = new ChecksumStream(algorithmsFor(file.checksums), { path: file.path, size: file.size, checksums: file.checksums });
    try {
      await streamWithDeadline(file.content, [checksums, new SftpFileWriter(session.sftp, temporary)], this.options.timeoutMs, signal, (error) =>
        operationFailure(error, `write ${temporary}`),
      );
      const written = checksums.written();
      checkAgainstExpected(file.path, written, file.size, file.checksums);
      return written;
    } catch (error) {
      if (!breaksSession(error)) await sftpRequest(session.sftp, (done) => session.sftp.unlink(temporary, done)).catch(() => undefined);
      throw error;
    }
  }

  private async renameIntoPlace(session: Session, temporary: string, target: string): Promise<void> {
    const { sftp } = session;
    try {
      await sftpRequest(sftp, (done) => sftp.ext_openssh_rename(temporary, target, done));
      return;
    } catch (error) {
      if (!/does not support/i.test((error as Error).message)) throw operationFailure(error, `rename ${temporary} to ${target}`);
    }
    // No posix-rename@openssh.com: SFTP v3 rename refuses an existing target, so it is removed first.
    try {
      await sftpRequest(sftp, (done) => sftp.rename(temporary, target, done));
    } catch {
      await sftpRequest(sftp, (done) => sftp.unlink(target, done)).catch(() => undefined);
      await sftpRequest(sftp, (done) => sftp.rename(temporary, target, done)).catch((error) => {
        throw operationFailure(error, `rename ${temporary} to ${target}`);
      });
    }
  }
}

/** A temporary file's name, `.<name>.<uuid>.part`; group 1 is the final name. */
const TEMPORARY_NAME = /^\.(.+)\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.part$/;

/** A sink that drops what it is given. */
function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** SHA256:<base64 without padding>, as `ssh-keygen -lf` prints a host key's fingerprint. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function sameFingerprint(actual: string, pinned: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(pinned.trim().replace(/=+$/, ''));
  return a.length === b.length && timingSafeEqual(a, b);
}
