import { sessionMetadataExample } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { outcomeEmailMessage } from './outcome-email-message';

const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const base = { tenantId: TENANT, from: 'no-reply@example.com', to: 'team@example.com', subject: 'Outcome {SESSION_ID} / {QUEUE_NAME}', metadata: sessionMetadataExample };

describe('outcome e-mail message (CS6.2)', () => {
  it('CS6.2 subject with {SESSION_ID} and {QUEUE_NAME}, the metadata JSON as body, a transcript as transcript-<session>.txt', () => {
    const message = outcomeEmailMessage({ ...base, transcripts: [{ id: 't1', text: 'hello' }] });
    expect(message).toMatchObject({ from: 'no-reply@example.com', to: 'team@example.com', subject: 'Outcome 103646 / Support / Billing' });
    expect(JSON.parse(String(message.text))).toEqual(sessionMetadataExample);
    expect(message.attachments).toEqual([{ filename: 'transcript-103646.txt', content: 'hello', contentType: 'text/plain; charset=utf-8' }]);
    expect(message.messageId).toBe(`<outcome.103646.${TENANT}@switchboard>`);
  });

  it('CS6.2 several transcripts are numbered; one that could not be fetched is named in the body instead of attached', () => {
    const message = outcomeEmailMessage({ ...base, transcripts: [{ id: 't1', text: 'a' }, { id: 't2', unavailable: 'its URL answered 404' }, { id: 't3', text: 'c' }] });
    expect(message.attachments?.map((attachment) => attachment.filename)).toEqual(['transcript-103646-1.txt', 'transcript-103646-2.txt']);
    expect(String(message.text)).toMatch(/^The transcript t2 could not be attached: its URL answered 404\.\n\n\{/);
  });

  it('CS6.2 a queue name with line breaks cannot add headers: the subject stays one line', () => {
    const metadata = { ...sessionMetadataExample, session: { ...sessionMetadataExample.session, queue: { id: '1', path: 'Billing\r\nBcc: victim@example.com' } } };
    expect(outcomeEmailMessage({ ...base, metadata, transcripts: [] }).subject).toBe('Outcome 103646 / Billing Bcc: victim@example.com');
  });
});
