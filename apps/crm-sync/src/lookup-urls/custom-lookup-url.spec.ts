import { describe, expect, it } from 'vitest';
import { CUSTOM_LOOKUP_VARIABLES, customLookupValues, lookupTemplateProblem, NOT_FOUND_URL_VARIABLES, renderLookupUrl, templateKindOf } from './custom-lookup-url';

describe('custom lookup URL (CS5)', () => {
  const template = 'https://crm.example.com/lookup?phone={ANI}&email={EMAIL}&type={TYPE}&channel={CHANNEL}&agent={CUSTOM_AGENT_ID}&fixed=1';

  it('CS5.1 puts only non-empty parameters in the URL, URL-encoded', () => {
    const values = customLookupValues({ PHONE_NUMBER: '+14155552671', SESSION_TYPE: 'Voice Inbound', CHANNEL: 'voice', SESSION_ID: '103646' }, '+18005550199');
    expect(renderLookupUrl(template, values)).toBe('https://crm.example.com/lookup?phone=%2B14155552671&type=IVR_Call&channel=voice_call&fixed=1');
    expect(renderLookupUrl('https://crm.example.com/s/{SESSION_ID}?q={EMAIL}#support={SUPPORT_PHONE_NUMBER}', { ...values, EMAIL: 'a&b=c@example.com' })).toBe(
      'https://crm.example.com/s/103646?q=a%26b%3Dc%40example.com#support=%2B18005550199',
    );
  });

  it('CS5.1 values are data, never templates: a value that looks like a variable stays text', () => {
    expect(renderLookupUrl('https://crm.example.com/?e={EMAIL}', { EMAIL: '{ANI}' })).toBe('https://crm.example.com/?e=%7BANI%7D');
  });

  it('CS5.2 TYPE and CHANNEL per session type; CS5.1 the SDK template for web and mobile SDK sessions', () => {
    const type = (sessionType: string, channel = 'voice') => customLookupValues({ SESSION_TYPE: sessionType, CHANNEL: channel }, undefined);
    expect(type('Voice Inbound (Mobile)')).toMatchObject({ TYPE: 'Incoming_Call_(app)', CHANNEL: 'voice_call' });
    expect(type('Voice Scheduled (Web)').TYPE).toBe('Scheduled_Call_(web)');
    expect(type('Voice Outbound (API)').TYPE).toBe('Outbound_Call_(api)');
    expect(type('Voice Inbound (IVR using Mobile)').TYPE).toBe('IVR_Call_(app)');
    expect(type('Messaging (Web)', 'chat')).toMatchObject({ TYPE: 'Web', CHANNEL: 'chat' });
    expect(type('Messaging Inbound (SMS)', 'messaging')).toMatchObject({ TYPE: 'SMS', CHANNEL: 'chat' });
    expect(templateKindOf('Messaging (Mobile)')).toBe('sdk');
    expect(templateKindOf('Voice Inbound')).toBe('ivr');
    expect(templateKindOf('Messaging Inbound (SMS)')).toBe('ivr');
  });

  it('CS5.1 CS5.4 templates are checked: http(s), known variables, no variable in the host', () => {
    expect(lookupTemplateProblem(template, CUSTOM_LOOKUP_VARIABLES)).toBeUndefined();
    expect(lookupTemplateProblem('https://crm.example.com/new?phone={PHONE_NUMBER}&id={ACCOUNT_ID}', NOT_FOUND_URL_VARIABLES)).toBeUndefined();
    expect(lookupTemplateProblem('https://crm.example.com/?p={PHONE_NUMBER}', CUSTOM_LOOKUP_VARIABLES)).toContain('{PHONE_NUMBER} is not one of');
    expect(lookupTemplateProblem('javascript:alert({ANI})', CUSTOM_LOOKUP_VARIABLES)).toBe('must be an absolute http(s) URL');
    expect(lookupTemplateProblem('https://{ANI}.example.com/', CUSTOM_LOOKUP_VARIABLES)).toContain('not in the host');
    expect(lookupTemplateProblem('https://crm.example.com/?p={ANI', CUSTOM_LOOKUP_VARIABLES)).toContain('unmatched brace');
  });
});
