import type { SessionMetadata } from '@switchboard/contracts';
import type { SendMailOptions } from 'nodemailer';

/** A transcript's text, or why it could not be had (the mail then says so instead of attaching it). */
export type FetchedTranscript = { id: string; text: string } | { id: string; unavailable: string };

/**
 * The outcome e-mail (CS6.2): from the no-reply sender, the configured subject (`{SESSION_ID}`,
 * `{QUEUE_NAME}` replaced), the session metadata document as JSON in the body, each chat transcript as
 * a .txt attachment. The Message-ID is derived from tenant and session, so a resend after a crash
 * between sending and recording it carries the same id (receivers can tell it is the same mail).
 */
export function outcomeEmailMessage(input: { tenantId: string; from: string; to: string; subject: string; metadata: SessionMetadata; transcripts: FetchedTranscript[] }): SendMailOptions {
  const { metadata } = input;
  const sessionId = metadata.session.id;
  const queueName = metadata.session.queue.path ?? metadata.session.queue.id ?? '';
  const subject = input.subject.replaceAll('{SESSION_ID}', sessionId).replaceAll('{QUEUE_NAME}', queueName).replace(/[\r\n]+/g, ' ');
  const missing = input.transcripts.filter((transcript) => 'unavailable' in transcript);
  const notes = missing.map((transcript) => `The transcript ${transcript.id} could not be attached: ${(transcript as { unavailable: string }).unavailable}.`);
  const attached = input.transcripts.filter((transcript): transcript is { id: string; text: string } => 'text' in transcript);
  return {
    from: input.from,
    to: input.to,
    subject,
    messageId: `<outcome.${encodeURIComponent(sessionId)}.${input.tenantId}@switchboard>`,
    text: [...notes, JSON.stringify(metadata, null, 2)].join('\n\n'),
    attachments: attached.map((transcript, index) => ({
      filename: attached.length === 1 ? `transcript-${safeName(sessionId)}.txt` : `transcript-${safeName(sessionId)}-${index + 1}.txt`,
      content: transcript.text,
      contentType: 'text/plain; charset=utf-8',
    })),
  };
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
