import { describe, expect, it } from 'vitest';
import { compileEndpoint, type CrmEndpointSettings } from './crm-endpoint';
import { attachmentUrlOf, multipartBody } from './crm-upload';
import { CrmTemplateError } from './template-error';

const UPLOAD: CrmEndpointSettings = { url: 'https://crm.example.com/records/{RECORD_ID}/files', method: 'POST', parameters: { file: '{FILE_DATA}', note: 'from {SESSION_ID}' } };

describe('uploadFile endpoint (CS2.6)', () => {
  it('CS2.6 the {FILE_DATA} parameter carries the file; base64 is the default form', () => {
    expect(compileEndpoint('uploadFile', UPLOAD).upload).toEqual({ form: 'base64', addComment: false, fileParameter: 'file' });
  });

  it.each([
    ['no {FILE_DATA} parameter', { ...UPLOAD, parameters: { note: 'x' } }, /exactly one parameter must be \{FILE_DATA\}/],
    ['two {FILE_DATA} parameters', { ...UPLOAD, parameters: { a: '{FILE_DATA}', b: '{FILE_DATA}' } }, /exactly one/],
    ['GET', { ...UPLOAD, method: 'GET' as const }, /not GET/],
    ['both attachment URL sources', { ...UPLOAD, upload: { form: 'base64' as const, addComment: false, attachmentUrlTemplate: 'https://x.example/{ATTACHMENT_ID}', attachmentUrlLocation: 'url' } }, /not both/],
    ['a session variable in the attachment URL', { ...UPLOAD, upload: { form: 'base64' as const, addComment: false, attachmentUrlTemplate: 'https://x.example/{EMAIL}' } }, /not \{EMAIL\}/],
    ['a relative attachment URL', { ...UPLOAD, upload: { form: 'base64' as const, addComment: false, attachmentUrlTemplate: '/files/{ATTACHMENT_ID}' } }, /absolute http/],
    ['a bad response location', { ...UPLOAD, upload: { form: 'base64' as const, addComment: false, attachmentUrlLocation: '__proto__' } }, /may not be used/],
  ])('CS2.6 refuses %s', (_, settings, message) => {
    expect(() => compileEndpoint('uploadFile', settings)).toThrow(CrmTemplateError);
    expect(() => compileEndpoint('uploadFile', settings)).toThrow(message);
  });

  it('CS2.6 upload settings belong to uploadFile only', () => {
    expect(() => compileEndpoint('comment', { ...UPLOAD, upload: { form: 'multipart', addComment: true } })).toThrow(/uploadFile endpoint only/);
  });

  it('CS2.6 the attachment URL: template with the ids (encoded), or the answer at a path', () => {
    const byTemplate = compileEndpoint('uploadFile', { ...UPLOAD, upload: { form: 'base64', addComment: false, attachmentUrlTemplate: 'https://crm.example.com/r/{RECORD_ID}/a/{ATTACHMENT_ID}' } }).upload;
    expect(byTemplate && attachmentUrlOf(byTemplate, {}, { RECORD_ID: 'r 1', ATTACHMENT_ID: 'a/2' })).toBe('https://crm.example.com/r/r%201/a/a%2F2');
    expect(byTemplate && attachmentUrlOf(byTemplate, {}, { RECORD_ID: 'r1' })).toBeUndefined();
    const byAnswer = compileEndpoint('uploadFile', { ...UPLOAD, upload: { form: 'base64', addComment: false, attachmentUrlLocation: 'links.self' } }).upload;
    expect(byAnswer && attachmentUrlOf(byAnswer, { links: { self: 'https://crm.example.com/f/9' } }, { RECORD_ID: 'r1' })).toBe('https://crm.example.com/f/9');
  });

  it('CS2.6 multipart: parameters as fields, the file as its part with name and content type', async () => {
    const { contentType, body } = await multipartBody({ file: '', note: 'from s-1' }, 'file', { name: 'call-1.mp3', contentType: 'audio/mpeg', bytes: Buffer.from([0, 1, 2, 255]) });
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    expect(form.get('note')).toBe('from s-1');
    const file = form.get('file') as File;
    expect([file.name, file.type, [...new Uint8Array(await file.arrayBuffer())]]).toEqual(['call-1.mp3', 'audio/mpeg', [0, 1, 2, 255]]);
  });
});
