import { DestinationError } from '../storage-destination';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that ssh2 puts on an error's `code`. */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

interface Ssh2Error {
  code?: string | number;
  level?: string;
  message: string;
}

/** Why connecting and logging in failed, as a destination error kind. */
export function connectFailure(error: unknown, where: string, hostKeyRefused: boolean): DestinationError {
  if (error instanceof DestinationError) return error;
  const { code, message, level } = error as Ssh2Error;
  if (hostKeyRefused) {
    return new DestinationError('host_key_mismatch', `${where} presented a host key whose fingerprint is not the pinned one; nothing was sent`, { cause: error });
  }
  if (level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new DestinationError('auth_refused', `${where} refused the user name, password or key`, { cause: error });
  }
  if (/timed out while waiting for handshake/i.test(message)) {
    return new DestinationError('host_unreachable', `${where} did not answer the SSH handshake in time`, { cause: error });
  }
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new DestinationError('host_unreachable', `${where} could not be reached (${code})`, { cause: error });
  }
  if (/encrypted private key|passphrase|Cannot parse privateKey/i.test(message)) {
    return new DestinationError('auth_refused', `The private key could not be read (wrong passphrase or not an SSH private key)`, { cause: error, retryable: false });
  }
  return new DestinationError('host_unreachable', `${where}: ${message}`, { cause: error });
}

/**
 * Why an operation on an open session failed. A status answer from the server (no such file,
 * permission denied) leaves the session usable; anything else means the connection is gone.
 */
export function operationFailure(error: unknown, what: string): DestinationError {
  if (error instanceof DestinationError) return error;
  const { code, message } = error as Ssh2Error;
  if (code === PERMISSION_DENIED || code === 'EACCES') return new DestinationError('permission_denied', `${what}: permission denied`, { cause: error });
  if (code === NO_SUCH_FILE || code === 'ENOENT') return new DestinationError('folder_missing', `${what}: no such file or folder`, { cause: error });
  if (typeof code === 'number') return new DestinationError('unexpected', `${what}: ${message}`, { cause: error });
  return new DestinationError('connection_lost', `${what}: the connection was lost (${message})`, { cause: error });
}

/** True when the session behind the error cannot be used again. */
export function breaksSession(error: unknown): boolean {
  return !(error instanceof DestinationError) || error.kind === 'connection_lost' || error.kind === 'timeout';
}
