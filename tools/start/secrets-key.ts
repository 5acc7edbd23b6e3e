import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SecretBox } from '@switchboard/persistence';
import { StartError } from './start-error';

/**
 * The SECRETS_ENCRYPTION_KEY of the local stack, kept in a file so that secrets sealed in the database
 * stay readable after a restart. Created once ('wx': two starts racing keep the first key).
 */
export async function loadOrCreateSecretsKey(file: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${SecretBox.generateKey()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = (await readFile(file, 'utf8')).trim();
  try {
    new SecretBox(key);
  } catch {
    throw new StartError(`Secrets: ${file} does not hold a base64 32-byte key — restore it, or delete it to get a new one (secrets sealed with the old key become unreadable).`);
  }
  return key;
}
