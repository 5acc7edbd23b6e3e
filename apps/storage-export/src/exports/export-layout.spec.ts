import { describe, expect, it } from 'vitest';
import { audioFormatOf, contentTypeOfName, EXPORT_FOLDERS, exportFileNames, isSafePathId, parseUploadName, UnsafePathIdError } from './export-layout';

describe('export layout (SE2)', () => {
  it('SE2.1 puts each kind in its ujet-* folder, exactly the five of the source', () => {
    expect(Object.values(EXPORT_FOLDERS).sort()).toEqual(['ujet-chat-transcripts', 'ujet-media', 'ujet-metadata', 'ujet-voice-recordings', 'ujet-voicemails']);
    expect(exportFileNames.audio('voicemail', '7', 'wav').path).toBe('ujet-voicemails/call-7.wav');
  });

  it('SE2.2 names a call recording call-{id}.mp3 or call-{id}.wav', () => {
    expect(exportFileNames.audio('recording', '103646', 'mp3')).toEqual({ kind: 'recording', fileName: 'call-103646.mp3', path: 'ujet-voice-recordings/call-103646.mp3' });
    expect(exportFileNames.audio('recording', '103646', 'wav').fileName).toBe('call-103646.wav');
  });

  it('SE2.2 names media call-{id}-photo-{photo-id}.jpg, call-{id}-video-{video-id}.mp4 and the chat- forms', () => {
    expect(exportFileNames.media('call', '1', 'photo', 'p9').path).toBe('ujet-media/call-1-photo-p9.jpg');
    expect(exportFileNames.media('call', '1', 'video', 'v2').path).toBe('ujet-media/call-1-video-v2.mp4');
    expect(exportFileNames.media('chat', '5', 'photo', '3').fileName).toBe('chat-5-photo-3.jpg');
    expect(exportFileNames.media('chat', '5', 'video', '4').fileName).toBe('chat-5-video-4.mp4');
  });

  it('SE2.2 names a transcript chat-{id}.txt and metadata call-{id}.json / chat-{id}.json', () => {
    expect(exportFileNames.transcript('88').path).toBe('ujet-chat-transcripts/chat-88.txt');
    expect(exportFileNames.metadata('call', '88').path).toBe('ujet-metadata/call-88.json');
    expect(exportFileNames.metadata('chat', '88').path).toBe('ujet-metadata/chat-88.json');
  });

  it.each(['../etc', '..', 'a/b', '/abs', 'a\\b', 'a\u0000b', 'a b', '', '.hidden', 'x..y', 'é', 'a'.repeat(129), 'C:\\x', '%2e%2e'])('SE2.2 refuses the id %j in a path', (id) => {
    expect(isSafePathId(id)).toBe(false);
    expect(() => exportFileNames.transcript(id)).toThrow(UnsafePathIdError);
    expect(() => exportFileNames.media('call', '1', 'photo', id)).toThrow(/mediaId/);
  });

  it.each(['103646', 'CA7f3a21', 'a.b_c~d-e', '0'])('SE2.2 accepts the id %j', (id) => {
    expect(isSafePathId(id)).toBe(true);
  });

  it('SE2.2 writes recordings as wav when the content type or the URL says so, else mp3', () => {
    expect(audioFormatOf('audio/wav', 'https://x/r')).toBe('wav');
    expect(audioFormatOf('audio/x-wav', 'https://x/r')).toBe('wav');
    expect(audioFormatOf(null, 'https://x/rec.WAV?sig=1')).toBe('wav');
    expect(audioFormatOf('audio/mpeg', 'https://x/rec.wav')).toBe('mp3');
    expect(audioFormatOf(undefined, 'https://x/rec')).toBe('mp3');
    expect(contentTypeOfName('call-1.wav')).toBe('audio/wav');
    expect(contentTypeOfName('chat-1.txt')).toMatch(/^text\/plain/);
  });

  it('SE2.2 accepts an upload only under the layout name of its own session', () => {
    expect(parseUploadName('recording', '42', 'call-42.wav')).toEqual({ kind: 'recording', fileName: 'call-42.wav', path: 'ujet-voice-recordings/call-42.wav' });
    expect(parseUploadName('media', '42', 'chat-42-video-v1.mp4')).toMatchObject({ path: 'ujet-media/chat-42-video-v1.mp4' });
    expect(parseUploadName('recording', '42', 'call-43.wav')).toMatch(/must be call-42.mp3 or call-42.wav/);
    expect(parseUploadName('transcript', '42', 'call-42.txt')).toMatch(/chat-42.txt/);
    expect(parseUploadName('media', '42', 'call-42-photo-..jpg')).toMatch(/media id/);
    expect(parseUploadName('media', '42', 'call-42-photo-a%2Fb.jpg')).toMatch(/media id/);
    expect(parseUploadName('recording', '..', 'call-...mp3')).toMatch(/session id/);
    expect(parseUploadName('recording', '4.2', 'call-4x2.mp3')).toMatch(/must be/);
  });
});
