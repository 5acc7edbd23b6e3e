/**
 * Builds ssh2's optional crypto binding (AES-GCM and ChaCha20-Poly1305 contexts kept in C++ instead of a new
 * OpenSSL cipher per SSH packet in JavaScript) when its own install script could not: that script passes
 * `--target=<node version>`, which makes node-gyp download Node's headers even where npm is configured to build
 * against the local ones (`nodedir`), so offline it always fails and ssh2 silently falls back to JavaScript.
 * Measured on storage-export's SFTP uploads (npm run bench:export): faster transfers and less garbage per byte.
 * Optional like the binding itself: a failed build prints why and leaves the JavaScript path in place.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function main(): void {
  const ssh2 = packageFolder('ssh2');
  if (!ssh2) return;
  const bindingFolder = join(ssh2, 'lib', 'protocol', 'crypto');
  if (existsSync(join(bindingFolder, 'build', 'Release', 'sshcrypto.node'))) return;
  const nodeGyp = process.env['npm_config_node_gyp'] ?? bundledNodeGyp();
  if (!nodeGyp) return void console.warn('[ssh2 binding] node-gyp not found; ssh2 keeps its JavaScript crypto');
  // Where npm builds against local headers (nodedir), so does this; otherwise node-gyp fetches them as usual.
  const nodedir = process.env['npm_config_nodedir'];
  const args = [nodeGyp, 'rebuild', `--real_openssl_major=${/^\d+/.exec(process.versions.openssl)?.[0] ?? '3'}`, ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  const result = spawnSync(process.execPath, args, { cwd: bindingFolder, encoding: 'utf8' });
  if (result.status === 0) console.log('[ssh2 binding] built ssh2 crypto binding');
  else console.warn(`[ssh2 binding] could not build (ssh2 keeps its JavaScript crypto): ${(result.stderr || String(result.error)).split('\n').filter(Boolean).slice(-3).join(' | ')}`);
}

function packageFolder(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** npm's own node-gyp, next to the npm that runs this (npm sets npm_execpath). */
function bundledNodeGyp(): string | undefined {
  const npm = process.env['npm_execpath'];
  const candidate = npm && join(dirname(npm), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return candidate && existsSync(candidate) ? candidate : undefined;
}

main();
