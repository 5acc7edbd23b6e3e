import { execFile } from 'node:child_process';

export interface CommandResult {
  /** 127 when the command does not exist. */
  code: number;
  output: string;
}

export type RunCommand = (command: string, args: string[]) => Promise<CommandResult>;

export const runCommand: RunCommand = (command, args) =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (!error) return resolve({ code: 0, output });
      const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: output || error.message });
    });
  });

/** What trying to start Debian's own cluster for a port came to. */
export type ClusterStart =
  | { outcome: 'started'; cluster: string }
  | { outcome: 'no-cluster-tools' }
  | { outcome: 'no-cluster-on-port' }
  | { outcome: 'already-running'; cluster: string }
  | { outcome: 'failed'; cluster: string; reason: string };

interface ListedCluster {
  version: number | string;
  cluster: string;
  port: string | number;
  running: number | boolean;
}

/**
 * Debian and Ubuntu manage Postgres as clusters (`pg_lsclusters`); a stopped one is started with
 * `pg_ctlcluster <version> <name> start`. Only a cluster configured for `port` is touched.
 */
export async function startDebianCluster(port: number, run: RunCommand = runCommand): Promise<ClusterStart> {
  const listed = await run('pg_lsclusters', ['--json']);
  if (listed.code === 127) return { outcome: 'no-cluster-tools' };
  let clusters: ListedCluster[];
  try {
    clusters = JSON.parse(listed.output) as ListedCluster[];
  } catch {
    return { outcome: 'no-cluster-tools' };
  }
  const onPort = clusters.filter((cluster) => Number(cluster.port) === port);
  if (onPort.length === 0) return { outcome: 'no-cluster-on-port' };
  const name = (cluster: ListedCluster) => `${cluster.version} ${cluster.cluster}`;
  const stopped = onPort.find((cluster) => !cluster.running);
  if (!stopped) return { outcome: 'already-running', cluster: name(onPort[0]) };

  const started = await run('pg_ctlcluster', [String(stopped.version), stopped.cluster, 'start']);
  if (started.code !== 0) return { outcome: 'failed', cluster: name(stopped), reason: lastLine(started.output) };
  return { outcome: 'started', cluster: name(stopped) };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
