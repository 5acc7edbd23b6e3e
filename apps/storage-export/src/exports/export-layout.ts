import type { ExportFileKind } from '@switchboard/contracts';

/** SE2.1: the folder of each kind of file, under the tenant's folder path, exactly as the source names them. */
export const EXPORT_FOLDERS: Readonly<Record<ExportFileKind, string>> = {
  transcript: 'ujet-chat-transcripts',
  media: 'ujet-media',
  metadata: 'ujet-metadata',
  recording: 'ujet-voice-recordings',
  voicemail: 'ujet-voicemails',
};

/** Calls are `call-…`, every other channel (chat, messaging, …) `chat-…` (SE2.2). */
export type SessionPrefix = 'call' | 'chat';

export type AudioFormat = 'mp3' | 'wav';
export type MediaFormat = 'photo' | 'video';

/**
 * Ids that may appear in a file name: letters, digits and `._~-`, starting with a letter or digit, no
 * `..`. Everything else (`/`, `\`, NUL, spaces, `..`, absolute paths) is refused, never rewritten: a
 * rewritten id could collide with another session's file.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export function isSafePathId(id: string): boolean {
  return SAFE_ID.test(id) && !id.includes('..');
}

/** Why an id cannot be used in a file name, or undefined when it can. */
export function pathIdRefusal(id: string): string | undefined {
  if (isSafePathId(id)) return undefined;
  return 'must be 1 to 128 letters, digits, ".", "_", "~" or "-", start with a letter or digit and not contain ".."';
}

export class UnsafePathIdError extends Error {
  constructor(
    readonly field: string,
    readonly id: string,
  ) {
    super(`${field} ${JSON.stringify(id)} ${pathIdRefusal(id)}`);
    this.name = 'UnsafePathIdError';
  }
}

function checked(field: string, id: string): string {
  if (!isSafePathId(id)) throw new UnsafePathIdError(field, id);
  return id;
}

/** A file of the layout: its kind, its name and its path relative to the folder path. */
export interface ExportFileName {
  kind: ExportFileKind;
  fileName: string;
  path: string;
}

function inFolder(kind: ExportFileKind, fileName: string): ExportFileName {
  return { kind, fileName, path: `${EXPORT_FOLDERS[kind]}/${fileName}` };
}

/** SE2.2 names, one function per kind. */
export const exportFileNames = {
  /** `call-{id}.mp3` / `call-{id}.wav` in ujet-voice-recordings (or ujet-voicemails). */
  audio(kind: 'recording' | 'voicemail', sessionId: string, format: AudioFormat): ExportFileName {
    return inFolder(kind, `call-${checked('sessionId', sessionId)}.${format}`);
  },
  /** `{call|chat}-{id}-photo-{photo-id}.jpg`, `{call|chat}-{id}-video-{video-id}.mp4`. */
  media(prefix: SessionPrefix, sessionId: string, format: MediaFormat, mediaId: string): ExportFileName {
    const extension = format === 'photo' ? 'jpg' : 'mp4';
    return inFolder('media', `${prefix}-${checked('sessionId', sessionId)}-${format}-${checked('mediaId', mediaId)}.${extension}`);
  },
  /** `chat-{id}.txt`. */
  transcript(sessionId: string): ExportFileName {
    return inFolder('transcript', `chat-${checked('sessionId', sessionId)}.txt`);
  },
  /** `call-{id}.json` / `chat-{id}.json`. */
  metadata(prefix: SessionPrefix, sessionId: string): ExportFileName {
    return inFolder('metadata', `${prefix}-${checked('sessionId', sessionId)}.json`);
  },
};

/** The content type each extension is written with. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  jpg: 'image/jpeg',
  mp4: 'video/mp4',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
};

export function contentTypeOfName(fileName: string): string {
  return CONTENT_TYPES[fileName.slice(fileName.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** wav when the content type or the URL's path says so (audio/wav, audio/x-wav, audio/wave, ….wav), else mp3. */
export function audioFormatOf(contentType: string | null | undefined, url: string): AudioFormat {
  if (contentType && /^audio\/(x-)?wav(e)?\b/i.test(contentType)) return 'wav';
  if (!contentType || !/^audio\//i.test(contentType)) {
    try {
      if (new URL(url).pathname.toLowerCase().endsWith('.wav')) return 'wav';
    } catch {
      // not a URL: the default applies
    }
  }
  return 'mp3';
}

/**
 * What an uploaded file's name (PUT …/files/{kind}/{fileName}) must look like for the session: the
 * session's own id, and the layout's pattern for the kind. Returns the layout name or why not.
 */
export function parseUploadName(kind: ExportFileKind, sessionId: string, fileName: string): ExportFileName | string {
  if (!isSafePathId(sessionId)) return `the session id ${pathIdRefusal(sessionId)}`;
  const escaped = sessionId.replace(/[.~-]/g, (c) => `\\${c}`);
  const patterns: Record<ExportFileKind, RegExp> = {
    recording: new RegExp(`^call-${escaped}\\.(mp3|wav)$`),
    voicemail: new RegExp(`^call-${escaped}\\.(mp3|wav)$`),
    transcript: new RegExp(`^chat-${escaped}\\.txt$`),
    media: new RegExp(`^(call|chat)-${escaped}-(photo-([^/]+)\\.jpg|video-([^/]+)\\.mp4)$`),
    metadata: new RegExp(`^(call|chat)-${escaped}\\.json$`),
  };
  const match = patterns[kind].exec(fileName);
  const examples: Record<ExportFileKind, string> = {
    recording: `call-${sessionId}.mp3 or call-${sessionId}.wav`,
    voicemail: `call-${sessionId}.mp3 or call-${sessionId}.wav`,
    transcript: `chat-${sessionId}.txt`,
    media: `call-${sessionId}-photo-{photo-id}.jpg, call-${sessionId}-video-{video-id}.mp4 or the chat- forms`,
    metadata: `call-${sessionId}.json or chat-${sessionId}.json`,
  };
  const refusal = `must be ${examples[kind]} for a ${kind} of session ${sessionId}`;
  if (!match) return refusal;
  if (kind === 'media') {
    const mediaId = match[3] ?? match[4] ?? '';
    if (!isSafePathId(mediaId)) return `the media id ${pathIdRefusal(mediaId)}`;
  }
  return inFolder(kind, fileName);
}
