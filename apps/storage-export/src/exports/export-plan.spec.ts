import { ExportFileKinds } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { planSessionExport } from './export-plan';
import { sessionEndedData } from './session-ended.fixtures';

const ALL = ExportFileKinds;
const endedAt = new Date('2026-03-02T14:12:00.000Z');
const justAfter = new Date(endedAt.getTime() + 2_000);
/** METADATA_EXPORT_DELAY_SEC's default. */
const FIFTEEN_MINUTES = 15 * 60_000;

describe('planning a session export (SE1.1, SE2, SE3.1)', () => {
  it('SE3.1 plans the recording now and the metadata file 15 minutes after the end', () => {
    const plan = planSessionExport(sessionEndedData(), ALL, justAfter, FIFTEEN_MINUTES);
    expect(plan.files.map((file) => [file.path, file.runAt.toISOString()])).toEqual([
      ['ujet-voice-recordings/call-103646.mp3', justAfter.toISOString()],
      ['ujet-metadata/call-103646.json', new Date(endedAt.getTime() + FIFTEEN_MINUTES).toISOString()],
    ]);
    expect(plan.files[0]!.source).toEqual({ kind: 'url', url: 'https://media.example.com/recordings/call-103646.mp3' });
    expect(plan.files[1]!.source).toMatchObject({ kind: 'metadata' });
  });

  it('SE3.1 plans the metadata file after the configured delay (METADATA_EXPORT_DELAY_SEC), not a fixed one', () => {
    const [metadata] = planSessionExport(sessionEndedData(), ['metadata'], justAfter, 5_000).files;
    expect(metadata!.runAt).toEqual(new Date(endedAt.getTime() + 5_000));
  });

  it('SE3.1 never plans the metadata file in the past when the event comes late', () => {
    const late = new Date(endedAt.getTime() + 60 * 60_000);
    expect(planSessionExport(sessionEndedData(), ['metadata'], late, FIFTEEN_MINUTES).files[0]!.runAt).toEqual(late);
  });

  it('SE1.1 plans only the kinds the tenant stores', () => {
    expect(planSessionExport(sessionEndedData(), ['metadata'], justAfter, FIFTEEN_MINUTES).files.map((file) => file.kind)).toEqual(['metadata']);
    expect(planSessionExport(sessionEndedData(), [], justAfter, FIFTEEN_MINUTES).files).toEqual([]);
  });

  it('SE2.2 names a chat session chat-…: transcript, photos, videos and metadata', () => {
    const ended = sessionEndedData({
      channel: 'chat',
      sessionId: '555',
      recordings: [],
      transcripts: [{ id: 't1', url: 'https://media.example.com/t1', contentType: 'text/plain' }],
      media: [
        { id: 'p1', url: 'https://media.example.com/p1', contentType: 'image/jpeg', kind: 'photo' },
        { id: 'v1', url: 'https://media.example.com/v1', contentType: 'video/mp4', kind: 'video' },
        { id: 'o1', url: 'https://media.example.com/o1', contentType: 'application/pdf', kind: 'other' },
      ],
    });
    const plan = planSessionExport(ended, ALL, justAfter, FIFTEEN_MINUTES);
    expect(plan.files.map((file) => [file.path, file.contentType])).toEqual([
      ['ujet-chat-transcripts/chat-555.txt', 'text/plain; charset=utf-8'],
      ['ujet-media/chat-555-photo-p1.jpg', 'image/jpeg'],
      ['ujet-media/chat-555-video-v1.mp4', 'video/mp4'],
      ['ujet-metadata/chat-555.json', 'application/json'],
    ]);
    expect(plan.skipped).toEqual([{ what: 'media o1', reason: 'the layout has names for photos and videos only' }]);
  });

  it('SE2.2 exports the first of several recordings (one name per session) and reports the others', () => {
    const ended = sessionEndedData({
      recordings: [
        { id: 'r1', url: 'https://media.example.com/r1.wav', contentType: 'audio/wav' },
        { id: 'r2', url: 'https://media.example.com/r2.mp3', contentType: 'audio/mpeg' },
      ],
    });
    const plan = planSessionExport(ended, ['recording'], justAfter, FIFTEEN_MINUTES);
    expect(plan.files.map((file) => file.path)).toEqual(['ujet-voice-recordings/call-103646.wav']);
    expect(plan.skipped[0]).toMatchObject({ what: 'recording r2' });
  });

  it.each(['../../etc/passwd', 'a/b', '..', 'x\\y'])('SE2.2 plans nothing under the unsafe session id %j, saying why', (sessionId) => {
    const plan = planSessionExport(sessionEndedData({ sessionId }), ALL, justAfter, FIFTEEN_MINUTES);
    expect(plan.files).toEqual([]);
    expect(plan.skipped.map((skipped) => skipped.reason).join(' ')).toMatch(/sessionId .* must be 1 to 128 letters/);
  });

  it('SE2.2 skips a medium whose id is unsafe and keeps the rest', () => {
    const ended = sessionEndedData({ media: [{ id: '../x', url: 'https://m.example.com/1', contentType: null as never, kind: 'photo' }] });
    const plan = planSessionExport(ended, ['media', 'recording'], justAfter, FIFTEEN_MINUTES);
    expect(plan.files.map((file) => file.kind)).toEqual(['recording']);
    expect(plan.skipped[0]).toMatchObject({ what: 'media ../x' });
  });
});
