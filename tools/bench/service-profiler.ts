import { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createAreaOf, CpuProfile, ProfileSummary, summarizeCpuProfile } from './cpu-profile-summary';

const WRITE_TIMEOUT_MS = 30_000;

/**
 * A CPU profile of the service covering only the measured run: cpu-profile-preload.cjs is loaded into the
 * service (NODE_OPTIONS=--require), and each SIGUSR2 starts or stops V8's profiler there.
 */
export class ServiceProfiler {
  constructor(
    private readonly directory: string,
    private readonly workspaceRoot: string,
  ) {}

  serviceEnv(): Record<string, string> {
    const preload = join(this.workspaceRoot, 'tools', 'bench', 'cpu-profile-preload.cjs');
    const inherited = process.env['NODE_OPTIONS'] ? `${process.env['NODE_OPTIONS']} ` : '';
    return { NODE_OPTIONS: `${inherited}--require "${preload}"`, BENCH_CPU_PROFILE_DIR: this.directory };
  }

  private fileOf(service: ChildProcess): string {
    return join(this.directory, `service-${service.pid}.cpuprofile`);
  }

  start(service: ChildProcess): void {
    rmSync(this.fileOf(service), { force: true });
    service.kill('SIGUSR2');
  }

  async stopAndSummarize(service: ChildProcess): Promise<{ file: string; summary: ProfileSummary }> {
    const file = this.fileOf(service);
    service.kill('SIGUSR2');
    const deadline = Date.now() + WRITE_TIMEOUT_MS;
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`the service wrote no CPU profile to ${file} within ${WRITE_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    return { file, summary: summarizeCpuProfile(profile, createAreaOf(this.workspaceRoot)) };
  }
}
