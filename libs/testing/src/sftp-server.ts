import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from './free-port';

const run = promisify(execFile);

/**
 * A real OpenSSH server (Debian's `sshd`) on a loopback port, for SFTP tests: its own host key and
 * configuration in a fresh temporary directory, `internal-sftp` only, key and password login.
 *
 * Run as root (CI, these machines), it logs in a throw-away system account created for this server
 * (random name and password, no shell, home = `rootDir`) and removed by stop(): password login needs
 * a real account, and no fixed password is ever left on the machine. Run as anyone else, it logs in
 * the current user with the key only (`password` is then undefined and password tests should skip).
 */
export interface SftpServer {
  host: string;
  port: number;
  user: string;
  /** The account's password, when password login is possible (running as root). */
  password?: string;
  /** An authorized client key (OpenSSH format, encrypted with `passphrase`). */
  privateKey: string;
  passphrase: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:<base64, no padding>`. */
  hostKeyFingerprint: string;
  /** The account's home and the SFTP start directory: relative paths land here. */
  rootDir: string;
  /** The sshd listener's process id. */
  pid: number;
  /** Cuts every open connection (SIGKILL to the per-connection processes); the server keeps listening. */
  dropConnections(): Promise<void>;
  /** SIGKILL to the listener and every connection: the peer dies mid-whatever. */
  kill(): Promise<void>;
  /** Stops the server and removes its directory and account. */
  stop(): Promise<void>;
}

export interface SftpServerOptions {
  /** Executable of sshd (default /usr/sbin/sshd). */
  sshd?: string;
  readyTimeoutMs?: number;
}

const LISTENING = /Server listening on \S+ port (\d+)/;

export async function startSftpServer(options: SftpServerOptions = {}): Promise<SftpServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-sshd-'));
  await chmod(dir, 0o755);
  const rootDir = join(dir, 'home');
  await mkdir(rootDir);
  const passphrase = randomBytes(12).toString('hex');
  const hostKeyFingerprint = await generateKey(join(dir, 'host_key'), '');
  await generateKey(join(dir, 'client_key'), passphrase);
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')));
  const account = await createAccount(rootDir);
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, rootDir, account.user));

  try {
    const { child, port } = await listen(options.sshd ?? '/usr/sbin/sshd', dir, options.readyTimeoutMs ?? 10_000);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const reaper = startReaper(child.pid!, account.password ? account.user : '', dir);
    const killAll = async (): Promise<void> => {
      killTree(child.pid!, true);
      await exited;
    };
    return {
      host: '127.0.0.1',
      port,
      user: account.user,
      password: account.password,
      privateKey: await readFile(join(dir, 'client_key'), 'utf8'),
      passphrase,
      hostKeyFingerprint,
      rootDir,
      pid: child.pid!,
      dropConnections: async () => killTree(child.pid!, false),
      kill: killAll,
      stop: async () => {
        // Cleaning up here: the reaper is not needed (and must not kill a pid that may be reused by then).
        reaper.kill('SIGKILL');
        await killAll();
        await account.remove();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await account.remove();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A shell that waits for this process to go away (its stdin closes when we die, even by SIGKILL or a
 * test runner ending its worker) and then kills sshd, removes the throw-away account and the directory:
 * nothing is left listening or able to log in after a crashed test run.
 */
function startReaper(sshdPid: number, user: string, dir: string): ChildProcess {
  const script = 'cat >/dev/null; kill -KILL "$1" 2>/dev/null; sleep 1; if [ -n "$2" ]; then userdel "$2" 2>/dev/null; fi; rm -rf "$3"';
  const reaper = spawn('sh', ['-c', script, 'sb-sftp-reaper', String(sshdPid), user, dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  reaper.stdin!.on('error', () => undefined);
  reaper.unref();
  return reaper;
}

function sshdConfig(dir: string, rootDir: string, user: string): string {
  return [
    'ListenAddress 127.0.0.1',
    // Port from the command line (-p), chosen free just before.
    `HostKey ${join(dir, 'host_key')}`,
    'PidFile none',
    'UsePAM no',
    'StrictModes no',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    `AllowUsers ${user}`,
    `PermitRootLogin ${user === 'root' ? 'yes' : 'no'}`,
    // Exports open a few sessions each; tests open many at once.
    'MaxStartups 200:30:400',
    'MaxSessions 100',
    'MaxAuthTries 10',
    'LoginGraceTime 30',
    `Subsystem sftp internal-sftp -d ${rootDir}`,
    `ForceCommand internal-sftp -d ${rootDir}`,
    'LogLevel INFO',
    '',
  ].join('\n');
}

async function generateKey(file: string, passphrase: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'switchboard-test', '-f', file]);
  const { stdout } = await run('ssh-keygen', ['-l', '-f', `${file}.pub`]);
  const fingerprint = /SHA256:[A-Za-z0-9+/]+/.exec(stdout)?.[0];
  if (!fingerprint) throw new Error(`ssh-keygen printed no SHA256 fingerprint: ${stdout}`);
  return fingerprint;
}

interface Account {
  user: string;
  password?: string;
  remove(): Promise<void>;
}

/** A throw-away account (as root) or the current user. */
async function createAccount(rootDir: string): Promise<Account> {
  if (process.getuid?.() !== 0) return { user: userInfo().username, remove: async () => undefined };
  const user = `sbsftp${randomBytes(5).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  // useradd fails while another one holds /etc/passwd's lock (parallel test files): try again.
  await retry(() => run('useradd', ['--system', '--no-create-home', '--home-dir', rootDir, '--shell', '/usr/sbin/nologin', user]));
  await retry(() => new Promise<void>((resolve, reject) => {
    const child = execFile('chpasswd', (error) => (error ? reject(error) : resolve()));
    child.stdin!.end(`${user}:${password}\n`);
  }));
  const { stdout } = await run('id', ['-u', user]);
  const { stdout: gid } = await run('id', ['-g', user]);
  await chown(rootDir, Number(stdout.trim()), Number(gid.trim()));
  return { user, password, remove: () => retry(() => run('userdel', [user])).then(() => undefined, () => undefined) };
}

async function retry<T>(action: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
    }
  }
}

/** Starts sshd on a free port; a port taken in between (sshd exits at once) is tried again with another. */
async function listen(sshd: string, dir: string, readyTimeoutMs: number, attempts = 5): Promise<{ child: ReturnType<typeof spawn>; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    // detached: its own process group, so kill() reaches the per-connection processes too.
    const child = spawn(sshd, ['-D', '-e', '-p', String(port), '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    try {
      await new Promise<void>((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`sshd did not listen within ${readyTimeoutMs} ms: ${log}`)), readyTimeoutMs);
        child.stderr!.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          if (LISTENING.test(log)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`sshd exited (${code}): ${log.trim()}`));
        });
      });
      // Keep reading so that the pipe never fills.
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      return { child, port };
    } catch (error) {
      killTree(child.pid!, true);
      if (attempt >= attempts) throw error;
    }
  }
}

/** SIGKILL to the processes below `pid` (and `pid` itself when `includeSelf`), children first found, then killed. */
function killTree(pid: number, includeSelf: boolean): void {
  for (const child of descendants(pid)) safeKill(child);
  if (includeSelf) safeKill(pid);
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readChildren(pid);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function readChildren(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

function safeKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
