import { describe, expect, it, vi } from 'vitest';
import { type CommandResult, startDebianCluster } from './local-postgres';

const cluster = (running: number, port = '5432') => ({ version: 15, cluster: 'main', port, running });

/** A fake `run`: answers pg_lsclusters with `listed`, pg_ctlcluster with `started`. */
function fakeRun(listed: CommandResult, started: CommandResult = { code: 0, output: '' }) {
  return vi.fn(async (command: string, _args: string[]) => (command === 'pg_lsclusters' ? listed : started));
}

describe('starting the local Debian Postgres cluster (P4.4 npm start)', () => {
  it('P4.4 starts the stopped cluster that owns the port', async () => {
    const run = fakeRun({ code: 0, output: JSON.stringify([cluster(1, '5433'), cluster(0)]) });

    expect(await startDebianCluster(5432, run)).toEqual({ outcome: 'started', cluster: '15 main' });
    expect(run).toHaveBeenCalledWith('pg_ctlcluster', ['15', 'main', 'start']);
  });

  it('P4.4 says so when pg_lsclusters does not exist (not Debian, or no PostgreSQL installed)', async () => {
    const run = fakeRun({ code: 127, output: 'spawn pg_lsclusters ENOENT' });

    expect(await startDebianCluster(5432, run)).toEqual({ outcome: 'no-cluster-tools' });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('P4.4 touches no cluster configured for another port', async () => {
    const run = fakeRun({ code: 0, output: JSON.stringify([cluster(0, '5433')]) });

    expect(await startDebianCluster(5432, run)).toEqual({ outcome: 'no-cluster-on-port' });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('P4.4 does not restart a running cluster (the login is the problem then)', async () => {
    const run = fakeRun({ code: 0, output: JSON.stringify([cluster(1)]) });

    expect(await startDebianCluster(5432, run)).toEqual({ outcome: 'already-running', cluster: '15 main' });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("P4.4 passes pg_ctlcluster's last line on when starting fails", async () => {
    const run = fakeRun(
      { code: 0, output: JSON.stringify([cluster(0)]) },
      { code: 1, output: 'Warning: something\nError: You must run this program as the cluster owner (postgres) or root' },
    );

    expect(await startDebianCluster(5432, run)).toEqual({
      outcome: 'failed',
      cluster: '15 main',
      reason: 'Error: You must run this program as the cluster owner (postgres) or root',
    });
  });
});
