import { describe, expect, it } from 'vitest';
import { FieldsRefused, refuseFields } from './fields-refused';

describe('FieldsRefused (P2.1)', () => {
  it('P2.1 is a 422 with the stable code, the problems joined as the message and each field in details', () => {
    const problems = [
      { field: 'channelId', message: 'channelId names no channel of this tenant' },
      { field: 'templateId', message: 'templateId names a whatsapp message template' },
    ];
    const error = new FieldsRefused('ConfigurationPartsInvalid', problems);
    expect(error.getStatus()).toBe(422);
    expect(error.getResponse()).toEqual({ code: 'ConfigurationPartsInvalid', message: 'channelId names no channel of this tenant; templateId names a whatsapp message template', details: problems });
  });

  it('P2.1 refuseFields throws only when there is a problem', () => {
    expect(() => refuseFields('UrlNotAllowed', [])).not.toThrow();
    expect(() => refuseFields('UrlNotAllowed', [{ field: 'url', message: 'url may not be called' }])).toThrow(FieldsRefused);
  });
});
