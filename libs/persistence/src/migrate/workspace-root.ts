import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Nx workspace root (the folder holding nx.json), found by walking up from `start`.
 * Migrations read apps/<svc>/prisma.config.ts by path, so they need the root, not the caller's cwd.
 */
export function findWorkspaceRoot(start = process.cwd()): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No Nx workspace (nx.json) found above ${start}`);
    dir = parent;
  }
}
