import { DestinationError } from './storage-destination';

const MAX_PATH_LENGTH = 1024;
/** Control characters (NUL included) never belong in a file name we write. */
export function hasControlCharacter(text: string): boolean {
  return [...text].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f);
}

/**
 * The file's path checked to stay below the folder path: relative, posix separators, no empty, '.'
 * or '..' segments, no backslashes or control characters. Anything else is 'invalid_path' (not retryable).
 */
export function checkedRelativePath(path: string): string {
  const problem = pathProblem(path);
  if (problem) throw new DestinationError('invalid_path', `The file path ${JSON.stringify(path)} ${problem}`, { retryable: false });
  return path;
}

function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (path.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  if (hasControlCharacter(path)) return 'contains a control character';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/')) return 'is absolute; it must be relative to the folder path';
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return "has an empty, '.' or '..' segment";
  return undefined;
}

/** The folder path joined with a checked relative path; '' means the folder is the starting point itself. */
export function underFolder(folderPath: string, relativePath: string): string {
  const folder = folderPath.replace(/\/+$/, '');
  if (folder === '') return relativePath;
  return `${folder}/${relativePath}`;
}

/** A bucket's object name: the folder path as a prefix without leading or trailing slashes. */
export function objectName(folderPath: string, relativePath: string): string {
  return underFolder(folderPath.replace(/^\/+/, ''), checkedRelativePath(relativePath));
}

/** Name of the probe file Connect and save writes and removes (SE1.3). */
export function probeFileName(): string {
  return `.switchboard-probe-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
