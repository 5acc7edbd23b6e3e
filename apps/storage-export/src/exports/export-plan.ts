import type { ExportFileKind, SessionEnded } from '@switchboard/contracts';
import { audioFormatOf, contentTypeOfName, type ExportFileName, exportFileNames, type SessionPrefix, UnsafePathIdError } from './export-layout';

/** Where a planned file's bytes come from. */
export type PlannedSource = { kind: 'url'; url: string } | { kind: 'metadata'; document: SessionEnded['metadata'] };

export interface PlannedFile extends ExportFileName {
  contentType: string;
  source: PlannedSource;
  runAt: Date;
}

/** A file of the session that is not exported, and why (logged). */
export interface SkippedFile {
  what: string;
  reason: string;
}

export interface ExportPlan {
  files: PlannedFile[];
  skipped: SkippedFile[];
}

export function sessionPrefixOf(ended: Pick<SessionEnded, 'metadata'>): SessionPrefix {
  return ended.metadata.session.channel === 'voice' ? 'call' : 'chat';
}

/**
 * The files of an ended session for a tenant that stores `kinds` (SE1.1): recordings, transcripts and
 * media due now, the metadata file `metadataDelayMs` after the session's end (SE3.1: late CSAT and
 * transfers settle first; METADATA_EXPORT_DELAY_SEC) but never in the past. The layout has one name per session for a recording and a transcript: the first of each is
 * exported, later ones are reported as skipped, as are media that are neither photo nor video and
 * files whose ids cannot be used in a file name.
 */
export function planSessionExport(ended: SessionEnded, kinds: readonly ExportFileKind[], now: Date, metadataDelayMs: number): ExportPlan {
  const plan: ExportPlan = { files: [], skipped: [] };
  const wanted = new Set(kinds);
  const prefix = sessionPrefixOf(ended);
  const add = (what: string, name: () => ExportFileName, source: PlannedSource, runAt = now) => {
    try {
      const file = name();
      plan.files.push({ ...file, contentType: contentTypeOfName(file.fileName), source, runAt });
    } catch (error) {
      if (!(error instanceof UnsafePathIdError)) throw error;
      plan.skipped.push({ what, reason: error.message });
    }
  };

  if (wanted.has('recording')) {
    ended.recordings?.forEach((recording, index) => {
      if (index > 0) return plan.skipped.push({ what: `recording ${recording.id}`, reason: `the layout names one recording per session (call-${ended.sessionId}); the first is exported` });
      add(`recording ${recording.id}`, () => exportFileNames.audio('recording', ended.sessionId, audioFormatOf(recording.contentType, recording.url)), { kind: 'url', url: recording.url });
    });
  }
  if (wanted.has('transcript')) {
    ended.transcripts?.forEach((transcript, index) => {
      if (index > 0) return plan.skipped.push({ what: `transcript ${transcript.id}`, reason: `the layout names one transcript per session (chat-${ended.sessionId}.txt); the first is exported` });
      add(`transcript ${transcript.id}`, () => exportFileNames.transcript(ended.sessionId), { kind: 'url', url: transcript.url });
    });
  }
  if (wanted.has('media')) {
    for (const media of ended.media ?? []) {
      if (media.kind === 'other') {
        plan.skipped.push({ what: `media ${media.id}`, reason: 'the layout has names for photos and videos only' });
        continue;
      }
      add(`media ${media.id}`, () => exportFileNames.media(prefix, ended.sessionId, media.kind as 'photo' | 'video', media.id), { kind: 'url', url: media.url });
    }
  }
  if (wanted.has('metadata')) {
    const due = new Date(Math.max(now.getTime(), Date.parse(ended.times.endedAt) + metadataDelayMs));
    add('metadata', () => exportFileNames.metadata(prefix, ended.sessionId), { kind: 'metadata', document: ended.metadata }, due);
  }
  return plan;
}
