import { describe, expect, it } from 'vitest';
import { compileEndpoint, type CrmEndpointSettings } from './crm-endpoint';
import { buildCrmRequest } from './crm-request';
import type { SessionValues } from './crm-variables';
import { formatPhoneNumber, type PhoneFormat } from './phone-format';
import { parseRequestParameter, resolveRequestParameter } from './request-parameter';
import { parseResponseLocation, textAtLocation, valueAtLocation } from './response-location';
import { CrmTemplateError, CrmValueMissing } from './template-error';
import { variableLookup } from './variable-values';

const UUID = '0b9d7c1e-4f2a-4e51-9c8d-2a6b3e5f7a91';
// The source's Zoho example (seed 004, "Concatenazione"): terms for id, phone and e-mail. Its third case puts the
// phone term before the e-mail one, so that is the order configured here; the present terms keep the configured order.
const ZOHO_CRITERIA = '=CONCAT_OR((Id:equals:{ACCOUNT_ID}), (Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))';

function resolve(written: string, values: SessionValues, phoneFormat: PhoneFormat = 'e164', purpose: 'create' | 'search' = 'search') {
  return resolveRequestParameter(parseRequestParameter('p', written), variableLookup(values, phoneFormat, purpose));
}

describe('CS1.2 phone number formats, exactly as the table', () => {
  // The table of CS1.2 for +12223334444: format → [create, search].
  const table: Record<Exclude<PhoneFormat, 'us_local_standard'>, [string, string]> = {
    automatic: ['+1 222 333 4444', '*222*333*4444'],
    e164: ['+12223334444', '+12223334444'],
    us_local: ['2223334444', '2223334444'],
    international: ['+1 222 333 4444', '+1 222 333 4444'],
  };
  for (const [format, [create, search]] of Object.entries(table)) {
    it(`CS1.2 ${format}: +12223334444 → create "${create}", search "${search}"`, () => {
      expect(formatPhoneNumber('+12223334444', format as PhoneFormat, 'create')).toBe(create);
      expect(formatPhoneNumber('+12223334444', format as PhoneFormat, 'search')).toBe(search);
    });
  }

  it('CS1.2 US local standard: +11112223333 → (111) 222-3333 for create and search', () => {
    expect(formatPhoneNumber('+11112223333', 'us_local_standard', 'create')).toBe('(111) 222-3333');
    expect(formatPhoneNumber('+11112223333', 'us_local_standard', 'search')).toBe('(111) 222-3333');
  });

  it('CS1.2 numbers outside North America keep their own grouping', () => {
    expect(formatPhoneNumber('+4915123456789', 'international', 'create')).toBe('+49 1512 3456789');
    expect(formatPhoneNumber('+4915123456789', 'automatic', 'search')).toBe('*1512*3456789');
    expect(formatPhoneNumber('+4915123456789', 'e164', 'search')).toBe('+4915123456789');
  });

  it('CS1.2 a number given without "+" is read as North American; one that cannot be read is passed on as given', () => {
    expect(formatPhoneNumber('2223334444', 'e164', 'create')).toBe('+12223334444');
    expect(formatPhoneNumber('not a number', 'e164', 'create')).toBe('not a number');
  });

  it('CS1.2 CS3.1 {PHONE_NUMBER} and {OUTBOUND_PHONE_NUMBER} are formatted per the setting and the endpoint (find = search)', () => {
    const find = compileEndpoint('findAccountByQuery', { url: 'https://crm.example.com/accounts', method: 'GET', parameters: { phone: '{PHONE_NUMBER}', dialled: '{OUTBOUND_PHONE_NUMBER}' } });
    const create = compileEndpoint('createAccount', { url: 'https://crm.example.com/accounts', method: 'POST', parameters: { phone: '{PHONE_NUMBER}' } });
    const values = { PHONE_NUMBER: '+12223334444', OUTBOUND_PHONE_NUMBER: '+18005550100' };

    expect(buildCrmRequest(find, values, 'automatic').url).toBe('https://crm.example.com/accounts?phone=*222*333*4444&dialled=*800*555*0100');
    expect(JSON.parse(buildCrmRequest(create, values, 'automatic').body ?? '')).toEqual({ phone: '+1 222 333 4444' });
  });
});

describe('CS3.2 functions, with the source examples as fixtures', () => {
  it.each([
    ['only ACCOUNT_ID', { ACCOUNT_ID: UUID }, `(Id:equals:${UUID})`],
    ['ACCOUNT_ID and EMAIL', { ACCOUNT_ID: UUID, EMAIL: 'kim@example' }, `(Id:equals:${UUID}) or (Email:equals:kim@example)`],
    ['PHONE_NUMBER and EMAIL', { PHONE_NUMBER: '+12223334444', EMAIL: 'kim@example' }, '(Phone:equals:+12223334444) or (Email:equals:kim@example)'],
  ] as const)('CS3.2 Zoho CONCAT_OR with %s', (_case, values, expected) => {
    expect(resolve(ZOHO_CRITERIA, values, 'e164')).toBe(expected);
  });

  it('CS3.2 CONCAT_AND joins the present terms with " and "', () => {
    expect(resolve('=CONCAT_AND({NAME}, {EMAIL}, {QUEUE_NAME})', { NAME: 'Kim', QUEUE_NAME: 'Billing' })).toBe('Kim and Billing');
  });

  it('CS3.2 CS4.2 DEFAULT_VALUE falls back when the agent e-mail is not known yet, and uses it once it is', () => {
    const written = '=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)';
    expect(resolve(written, {})).toBe('support@example.com');
    expect(resolve(written, { AGENT_EMAIL: '' })).toBe('support@example.com');
    expect(resolve(written, { AGENT_EMAIL: 'agent.kim@example.com' })).toBe('agent.kim@example.com');
  });

  it('CS3.2 a function with no value removes its parameter from the request; a variable without value is sent empty', () => {
    const endpoint = compileEndpoint('createRecord', {
      url: 'https://crm.example.com/records',
      method: 'POST',
      parameters: { criteria: '=CONCAT_OR({EMAIL}, {PHONE_NUMBER})', owner: '=DEFAULT_VALUE({AGENT_EMAIL}, {AGENT_ID})', email: '{EMAIL}', source: 'PHONE', rating: 5 },
    });

    expect(JSON.parse(buildCrmRequest(endpoint, {}, 'e164').body ?? '')).toEqual({ email: '', source: 'PHONE', rating: 5 });
  });

  it('CS3.2 quoted terms may hold commas; function names are case-insensitive', () => {
    expect(resolve('=default_value({EMAIL}, "no e-mail, yet")', {})).toBe('no e-mail, yet');
  });

  it.each([
    ['an unknown function', '=SUM({RATING}, 1)', /SUM is not a function/],
    ['DEFAULT_VALUE with one value', '=DEFAULT_VALUE({EMAIL})', /exactly two values/],
    ['an unclosed parenthesis in a term', '=CONCAT_OR((Id:equals:{ACCOUNT_ID}, {EMAIL})', /"\(" is not closed/],
    ['no call syntax', '=CONCAT_OR', /=NAME\(value, value/],
    ['an empty term', '=CONCAT_OR({EMAIL}, , {NAME})', /empty value/],
    ['an unknown variable', '=CONCAT_OR({EMAIL}, {PASSWORD})', /\{PASSWORD\} is not a known variable/],
    ['a variable in the wrong case', '{phone_number}', /\{phone_number\} is not a known variable/],
    ['an unmatched brace', 'Call {Call_ID', /unmatched "\{"/],
  ])('CS3 %s is refused with a clear error', (_case, written, message) => {
    expect(() => parseRequestParameter('p', written)).toThrow(CrmTemplateError);
    expect(() => parseRequestParameter('p', written)).toThrow(message);
  });
});

describe('CS3.1 variables', () => {
  it('CS3.1 FIRST_NAME and LAST_NAME come from NAME; LAST_NAME is "--" when missing; CUSTOM_USER_ID is the left side of the e-mail', () => {
    expect(resolve('{FIRST_NAME}|{LAST_NAME}', { NAME: 'Kim Lee Park' })).toBe('Kim|Lee Park');
    expect(resolve('{FIRST_NAME}|{LAST_NAME}', { NAME: 'Kim' })).toBe('Kim|--');
    expect(resolve('{CUSTOM_USER_ID}', { EMAIL: 'test.user3@test.co' })).toBe('test.user3');
  });

  it('CS3 no template injection: values that look like variables or functions stay data', () => {
    const endpoint = compileEndpoint('createAccount', {
      url: 'https://crm.example.com/accounts/{ACCOUNT_ID}',
      method: 'PUT',
      parameters: { name: '{NAME}', criteria: '=CONCAT_OR({EMAIL}, {NAME})' },
    });
    const values = { ACCOUNT_ID: '{SESSION_ID}', NAME: '=DEFAULT_VALUE({AGENT_EMAIL}, x)', EMAIL: '{AGENT_EMAIL}', SESSION_ID: 'secret-session', AGENT_EMAIL: 'agent@example.com' };

    const request = buildCrmRequest(endpoint, values, 'e164');

    expect(request.url).toBe('https://crm.example.com/accounts/%7BSESSION_ID%7D');
    expect(JSON.parse(request.body ?? '')).toEqual({ name: '=DEFAULT_VALUE({AGENT_EMAIL}, x)', criteria: '{AGENT_EMAIL} or =DEFAULT_VALUE({AGENT_EMAIL}, x)' });
  });
});

describe('CS2.1 endpoints: URL templates, methods, body formats, response data locations', () => {
  const base: CrmEndpointSettings = { url: 'https://crm.example.com/records/{RECORD_ID}/notes', method: 'POST', parameters: { comment: '{COMMENT_BODY}', id: '{RECORD_ID}' } };
  const values = { RECORD_ID: 'r/1 ?#&', COMMENT_BODY: 'Call ended' };

  it('CS2.1 URL variables are percent-encoded, so a value cannot change the path or add a query', () => {
    expect(buildCrmRequest(compileEndpoint('comment', base), values, 'e164').url).toBe('https://crm.example.com/records/r%2F1%20%3F%23%26/notes');
  });

  it('CS2.1 GET parameters go to the query string, percent-encoded, after any the URL already has', () => {
    const endpoint = compileEndpoint('findAccountByQuery', { url: 'https://crm.example.com/search?module=Contacts', method: 'GET', parameters: { criteria: ZOHO_CRITERIA } });

    const request = buildCrmRequest(endpoint, { EMAIL: 'kim@example', PHONE_NUMBER: '+12223334444' }, 'e164');

    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.url).toBe('https://crm.example.com/search?module=Contacts&criteria=(Phone%3Aequals%3A%2B12223334444)%20or%20(Email%3Aequals%3Akim%40example)');
    expect(new URL(request.url).searchParams.get('criteria')).toBe('(Phone:equals:+12223334444) or (Email:equals:kim@example)');
  });

  it.each([
    ['properties', { type: 'properties' }, { comment: 'Call ended', id: 'r/1 ?#&' }],
    ['a map container', { type: 'container', containerType: 'map', containerName: 'note' }, { note: { comment: 'Call ended', id: 'r/1 ?#&' } }],
    ['an array container', { type: 'container', containerType: 'array', containerName: 'data' }, { data: [{ comment: 'Call ended', id: 'r/1 ?#&' }] }],
  ] as const)('CS2.1 body format %s', (_case, bodyFormat, expected) => {
    for (const method of ['POST', 'PUT', 'PATCH'] as const) {
      const request = buildCrmRequest(compileEndpoint('comment', { ...base, method, bodyFormat }), values, 'e164');
      expect(request.method).toBe(method);
      expect(request.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request.body ?? '')).toEqual(expected);
    }
  });

  it('CS2.1 a URL variable without a value makes the request impossible (CrmValueMissing names it)', () => {
    expect(() => buildCrmRequest(compileEndpoint('comment', base), {}, 'e164')).toThrow(CrmValueMissing);
    expect(() => buildCrmRequest(compileEndpoint('comment', base), {}, 'e164')).toThrow(/\{RECORD_ID\}/);
  });

  it.each([
    ['a variable in the host', { url: 'https://{EMAIL}.example.com/accounts' }, /not in its host/],
    ['a relative URL', { url: '/accounts' }, /absolute http\(s\) URL/],
    ['another scheme', { url: 'file:///etc/passwd' }, /absolute http\(s\) URL/],
    ['an unknown URL variable', { url: 'https://crm.example.com/accounts/{ACCOUNTID}' }, /\{ACCOUNTID\} is not a known variable/],
    ['a bad data location', { url: 'https://crm.example.com/a', responseDataLocation: 'data[0' }, /responseDataLocation/],
    ['a prototype path', { url: 'https://crm.example.com/a', responseDataLocation: '__proto__.polluted' }, /may not be used/],
  ])('CS2.1 %s is refused with a clear error', (_case, override, message) => {
    expect(() => compileEndpoint('createAccount', { method: 'POST', parameters: {}, ...override })).toThrow(message);
  });

  it('CS2.3 find account by id needs {ACCOUNT_ID} in its URL', () => {
    expect(() => compileEndpoint('findAccountById', { url: 'https://crm.example.com/accounts', method: 'GET', parameters: {} })).toThrow(/must hold \{ACCOUNT_ID\}/);
  });

  it('CS2.1 response data location: a path to the object; an array there yields its first element; nothing there is undefined', () => {
    const zoho = { data: [{ id: 123, Email: 'Kim@agents.co' }, { id: 124 }], info: { count: 2 } };

    expect(valueAtLocation(zoho, parseResponseLocation('data[0]'))).toEqual({ id: 123, Email: 'Kim@agents.co' });
    expect(valueAtLocation(zoho, parseResponseLocation('data'))).toEqual({ id: 123, Email: 'Kim@agents.co' });
    expect(valueAtLocation(zoho, parseResponseLocation('$.data.1'))).toEqual({ id: 124 });
    expect(valueAtLocation({ id: 123, name: 'Kim' }, parseResponseLocation(''))).toEqual({ id: 123, name: 'Kim' });
    expect(valueAtLocation({ data: [] }, parseResponseLocation('data'))).toBeUndefined();
    expect(valueAtLocation(zoho, parseResponseLocation('data[5].id'))).toBeUndefined();
    expect(valueAtLocation({}, parseResponseLocation('toString'))).toBeUndefined();
    expect(textAtLocation(zoho, parseResponseLocation('data[0].id'))).toBe('123');
  });
});
