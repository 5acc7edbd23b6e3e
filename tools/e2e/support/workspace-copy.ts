import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WorkspaceCopy {
  root: string;
  remove(): Promise<void>;
}

/**
 * A scratch copy of a workspace for tests that change it (generators): the files git tracks plus
 * the untracked ones it does not ignore, as they are on disk, and a symlink to node_modules.
 * Files are copied, not hard-linked: tools rewrite them in place.
 */
export async function copyWorkspace(source: string): Promise<WorkspaceCopy> {
  const root = await mkdtemp(join(tmpdir(), 'sb-workspace-copy-'));
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: source, maxBuffer: 64 << 20 });
  // A tracked file deleted in the working tree is not part of the copy.
  const files = stdout.split('\0').filter((file) => file && existsSync(join(source, file)));
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await copyFile(join(source, file), join(root, file));
  }
  await symlink(join(source, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
