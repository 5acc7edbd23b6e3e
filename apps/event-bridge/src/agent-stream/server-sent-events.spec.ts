import { ValidationFailed } from '@switchboard/service-kit';
import { describe, expect, it } from 'vitest';
import { eventFrame, lastEventIdOf } from './server-sent-events';

describe('Server-Sent Events format (EB3.1)', () => {
  it('EB3.1 frames an entry as id, event and data lines ended by a blank line', () => {
    expect(eventFrame(42n, 'CRM_Record_Pop', '{"type":"CRM_Record_Pop"}')).toBe('id: 42\nevent: CRM_Record_Pop\ndata: {"type":"CRM_Record_Pop"}\n\n');
  });

  it('keeps a line break inside data from ending the frame or starting a field', () => {
    expect(eventFrame(1n, 'X', 'a\nid: 9\r\nb')).toBe('id: 1\nevent: X\ndata: a\ndata: id: 9\ndata: b\n\n');
  });

  it('EB3.1 reads Last-Event-ID: absent or empty starts live, a whole number resumes after it', () => {
    expect(lastEventIdOf(undefined)).toBeUndefined();
    expect(lastEventIdOf('')).toBeUndefined();
    expect(lastEventIdOf('17')).toBe(17n);
    expect(lastEventIdOf(' 9223372036854775807 ')).toBe(9223372036854775807n);
  });

  it.each([['abc'], ['-1'], ['1.5'], ['9223372036854775808'], ['12345678901234567890'], [['1', '2']]])('refuses Last-Event-ID %j with a 400 naming it', (header) => {
    expect(() => lastEventIdOf(header)).toThrow(ValidationFailed);
    expect(() => lastEventIdOf(header)).toThrow(/Last-Event-ID/);
  });
});
