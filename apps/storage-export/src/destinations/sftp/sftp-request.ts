import type { SFTPWrapper } from 'ssh2';
import { DestinationError } from '../storage-destination';

/** Longest wait for one SFTP request's answer: on a connection that died silently it never comes. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * True once the SFTP channel can carry no more requests. ssh2 fails the requests pending when the
 * channel closes, but one made afterwards is dropped without an answer (its callback never runs) —
 * and when the connection died, the channel's outgoing side still says 'open': only its incoming
 * side is marked closed.
 */
export function channelClosed(sftp: SFTPWrapper): boolean {
  const { incoming, outgoing } = sftp as unknown as { incoming?: { state?: string }; outgoing?: { state?: string } };
  return outgoing?.state !== 'open' || incoming?.state === 'closed';
}

export function channelClosedError(what: string): DestinationError {
  return new DestinationError('connection_lost', `${what}: the connection was lost (the SFTP channel is closed)`);
}

/**
 * An ssh2 callback call as a promise: on a closed channel it fails at once ('connection_lost'); a
 * synchronous throw (e.g. an unsupported extension) rejects too; no answer within REQUEST_TIMEOUT_MS
 * is a 'timeout' (which ends the session).
 */
export function sftpRequest<T = void>(sftp: SFTPWrapper, start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (channelClosed(sftp)) return reject(channelClosedError('SFTP request'));
    const timer = setTimeout(() => reject(new DestinationError('timeout', `The SFTP server did not answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    try {
      start((error, value) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value as T);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(error);
    }
  });
}
