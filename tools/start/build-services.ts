import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { StartError } from './start-error';

export interface BuildOptions {
  workspaceRoot: string;
  projects: readonly string[];
  /** Lets a Ctrl-C during the build stop it. */
  onSpawn?: (child: ChildProcess) => void;
}

const FAILURE_TAIL_LINES = 40;

/**
 * `nx run-many -t build` for the services, quiet unless it fails. Nx caches by input hash, so a
 * second start with unchanged sources restores dist/ in a second or two. Runs nx's own bin with this
 * Node, so neither npx nor PATH matter.
 */
export async function buildServices({ workspaceRoot, projects, onSpawn }: BuildOptions): Promise<void> {
  const args = [nxBin(workspaceRoot), 'run-many', '-t', 'build', `--projects=${projects.join(',')}`, '--outputStyle=static'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: workspaceRoot,
      env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new StartError(`Build: could not run Nx (${error.message}) — run \`npm install\` in ${workspaceRoot}.`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const tail = stripVTControlCharacters(output).trimEnd().split('\n').slice(-FAILURE_TAIL_LINES).join('\n');
      reject(new BuildFailedError(`Build failed (${signal ?? `exit ${code}`}); the last lines of \`nx run-many -t build\`:\n${tail}`));
    });
  });
}

/** nx's CLI entry, read from its package.json (the path moved between Nx versions). */
export function nxBin(workspaceRoot: string): string {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(workspaceRoot, 'package.json')).resolve('nx/package.json');
  } catch {
    throw new StartError(`Build: Nx is not installed — run \`npm install\` in ${workspaceRoot}.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin['nx']);
}

/** A failed build: its message carries Nx's output tail, so it is more than one sentence. */
export class BuildFailedError extends Error {
  override name = 'BuildFailedError';
}
