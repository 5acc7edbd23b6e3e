import { describe, expect, it } from 'vitest';
import { personalValuesOf, redactedCallUrl } from './call-log-redaction';

describe('call log redaction', () => {
  const personal = personalValuesOf({ PHONE_NUMBER: '+12223334444', EMAIL: 'kim@example.com', NAME: 'Kim Lee', SESSION_ID: 's-1' });

  it('keeps parameter names but no query values (search terms, literal API keys)', () => {
    expect(redactedCallUrl('https://crm.example.com/api/accounts?criteria=(Phone:equals:%2B12223334444)&api_key=k-123', personal)).toBe(
      'https://crm.example.com/api/accounts?criteria=<redacted>&api_key=<redacted>',
    );
  });

  it('replaces path segments that hold a personal value in any CS1.2 phone format, and drops URL credentials', () => {
    expect(redactedCallUrl('https://user:pw@crm.example.com/api/by-phone/(222)%20333-4444/records', personal)).toBe('https://crm.example.com/api/by-phone/<redacted>/records');
    expect(redactedCallUrl('https://crm.example.com/api/contacts/kim%40example.com', personal)).toBe('https://crm.example.com/api/contacts/<redacted>');
    expect(redactedCallUrl('https://crm.example.com/api/records/rec_1/comments', personal)).toBe('https://crm.example.com/api/records/rec_1/comments');
  });

  it('phone numbers are known in every format the engine may send', () => {
    expect(personal).toEqual(expect.arrayContaining(['+12223334444', '2223334444', '(222) 333-4444', '+1 222 333 4444', '*222*333*4444', 'kim@example.com', 'Kim Lee']));
    expect(personal).not.toContain('s-1');
  });
});
