import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DestinationError } from './storage-destination';

/**
 * Pipes the source through `stages` and fails, as a DestinationError, when the source breaks
 * ('source_failed'), when no byte moved for `idleMs` ('timeout'), when `signal` aborts ('timeout'),
 * or with `destinationFailure(error)` when the destination side broke.
 */
export async function streamWithDeadline(
  source: Readable,
  stages: [Transform, ...Array<Transform | Writable>],
  idleMs: number,
  signal: AbortSignal | undefined,
  destinationFailure: (error: unknown) => DestinationError,
): Promise<void> {
  // The first stream to fail decides whose fault it is: pipeline then destroys the others with that
  // same error, so the source re-emitting a destination's error does not make it the source's.
  let firstFailure: { fromSource: boolean; error: unknown } | undefined;
  const onSourceError = (error: unknown) => (firstFailure ??= { fromSource: true, error });
  const onStageError = (error: unknown) => (firstFailure ??= { fromSource: false, error });
  let idle = false;
  source.once('error', onSourceError);
  for (const stage of stages) stage.once('error', onStageError);
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  let timer = setTimeout(onIdle, idleMs);
  function onIdle(): void {
    idle = true;
    controller.abort(new Error('idle'));
  }
  const onData = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, idleMs);
  };
  stages[0].on('data', onData);
  try {
    await pipeline([source, ...stages], { signal: controller.signal });
  } catch (error) {
    if (idle) throw new DestinationError('timeout', `No progress for ${idleMs} ms`, { cause: error });
    if (signal?.aborted) throw new DestinationError('timeout', 'The upload was aborted', { cause: signal.reason });
    if (firstFailure?.fromSource) throw new DestinationError('source_failed', `The file's source failed: ${(firstFailure.error as Error).message ?? firstFailure.error}`, { cause: firstFailure.error });
    throw destinationFailure(error);
  } finally {
    clearTimeout(timer);
    source.off('error', onSourceError);
    for (const stage of stages) stage.off('error', onStageError);
    stages[0].off('data', onData);
    signal?.removeEventListener('abort', abort);
  }
}
