import { describe, expect, it } from 'vitest';
import { loggableUrl } from './loggable-url';

describe('loggableUrl: credentials in query strings never reach the logs', () => {
  it.each([
    ['an Event Grid subscription secret', '/outbound/webhooks/acs/events/9b1d?code=s3cr3t-value', '/outbound/webhooks/acs/events/9b1d?code=[redacted]'],
    ['an OAuth callback', '/crm/custom/oauth/callback?code=abc&state=acme~v1:xyz', '/crm/custom/oauth/callback?code=[redacted]&state=[redacted]'],
    ['a signed download link, other parameters kept', '/exports/files/1/content?generation=3&expires=1700&signature=f00d', '/exports/files/1/content?generation=3&expires=1700&signature=[redacted]'],
    ['an encoded or upper-case name', '/x?%63ode=1&TOKEN=2&limit=5', '/x?%63ode=[redacted]&TOKEN=[redacted]&limit=5'],
    ['no query', '/proactive/deliveries', '/proactive/deliveries'],
    ['a name without a value, malformed encoding', '/x?code&%E0%A4%A=1', '/x?code&%E0%A4%A=1'],
  ])('%s', (_case, url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });
});
