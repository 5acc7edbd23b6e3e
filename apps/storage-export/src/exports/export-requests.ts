import { ValidationFailed } from '@switchboard/service-kit';
import { parseNamed } from '@switchboard/validation';
import { z } from 'zod';
import { type ExportFileName, parseUploadName, pathIdRefusal } from './export-layout';

/** Kinds a client may upload; metadata is built from SessionEnded, never uploaded. */
export const UPLOAD_KINDS = ['recording', 'voicemail', 'transcript', 'media'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** Uploads larger than this are refused (413) before or while reading. */
export const UPLOAD_BODY_LIMIT = '2gb';

/** What an upload may be sent as; the file's own content type comes from its name (SE2.2). */
export const UPLOAD_CONTENT_TYPES = ['application/octet-stream', 'audio/mpeg', 'audio/wav', 'audio/x-wav', 'image/jpeg', 'video/mp4', 'text/plain'] as const;

export const sessionIdParam = z.string().superRefine((id, ctx) => {
  const refusal = pathIdRefusal(id);
  if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
});

export function parseSessionId(sessionId: string): string {
  return parseNamed('sessionId', sessionIdParam, sessionId);
}

export function parseUploadKind(kind: string): UploadKind {
  return parseNamed('kind', z.enum(UPLOAD_KINDS, { error: `must be one of ${UPLOAD_KINDS.join(', ')}` }), kind);
}

/** The uploaded file's layout name, or 400 naming fileName (wrong pattern, another session's id, unsafe media id). */
export function parseUploadFileName(kind: UploadKind, sessionId: string, fileName: string): ExportFileName {
  const parsed = parseUploadName(kind, sessionId, fileName);
  if (typeof parsed === 'string') throw new ValidationFailed([{ field: 'fileName', message: parsed }]);
  return parsed;
}
