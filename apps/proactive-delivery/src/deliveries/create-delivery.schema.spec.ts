import { computePermittedIntervals, nextPermittedInstant, resolveCalleeTimeZones } from '@switchboard/contact-time';
import { describe, expect, it } from 'vitest';
import { parseConfigurationInput } from '../configurations/configuration.schema';
import { nineToFiveConfiguration } from '../test-support/fixtures';
import { errorsOf, valueOf } from '../test-support/validation-result';
import { CREATE_DELIVERY_LIMITS, parseCreateDeliveryRequest } from './create-delivery.schema';

/** The seed's first sample request, byte for byte as the vendor documents it. */
const SEED_FIRST_SAMPLE = `{
"ApiVersion": "1.0",
"ProactiveEngagementConfigId": "cbbac510-3e66-ef11-a671-6045bd03d9d8",
"DestinationPhoneNumber": "+123456798",
"ContactId": "761e062f-c734-ef11-8e4f-00224808a166",
"Windows": [
{
"Start": "2024-09-10T13:00:00.000Z",
"End": "2024-09-10T15:59:59.999Z"
},
{
"Start": "2024-09-11T13:00:00.000Z",
"End": "2024-09-11T15:59:59.999Z"
}
],
"InputAttributes": {
"orderNumber": "ORD123456789",
"type": "callback",
"isFinalAttempt": "false"
}
}`;

/** The seed's windows are in 2024: this `now` sits just before the first one opens. */
const NOW = new Date('2024-09-10T12:00:00.000Z');
const VALID_NUMBER = '+1 212 555 0123';

type Body = Record<string, unknown>;
const seedBody = (): Body => JSON.parse(SEED_FIRST_SAMPLE);
const validBody = (): Body => ({
  ...seedBody(),
  DestinationPhoneNumber: VALID_NUMBER,
});
const withWindows = (...windows: unknown[]): Body => ({
  ...validBody(),
  Windows: windows,
});
const window = (Start: unknown, End: unknown) => ({ Start, End });

describe("the seed's first sample request (PD1.2)", () => {
  it('PD1.2 is structurally valid: its only problem is the too-short sample number +123456798', () => {
    expect(errorsOf(parseCreateDeliveryRequest(seedBody(), NOW))).toEqual([
      {
        field: 'DestinationPhoneNumber',
        message:
          'DestinationPhoneNumber is not a valid number for any country plan (too short)',
      },
    ]);
  });

  it('PD1.2 with a dialable number it parses into the domain request', () => {
    expect(valueOf(parseCreateDeliveryRequest(validBody(), NOW))).toEqual({
      apiVersion: '1.0',
      proactiveEngagementConfigId: 'cbbac510-3e66-ef11-a671-6045bd03d9d8',
      destinationPhoneNumber: {
        e164: '+12125550123',
        countryCallingCode: '1',
        region: 'US',
        type: 'FIXED_LINE_OR_MOBILE',
      },
      contactId: '761e062f-c734-ef11-8e4f-00224808a166',
      windows: [
        {
          start: new Date('2024-09-10T13:00:00.000Z'),
          end: new Date('2024-09-10T15:59:59.999Z'),
        },
        {
          start: new Date('2024-09-11T13:00:00.000Z'),
          end: new Date('2024-09-11T15:59:59.999Z'),
        },
      ],
      windowsDefaulted: false,
      inputAttributes: {
        orderNumber: 'ORD123456789',
        type: 'callback',
        isFinalAttempt: 'false',
      },
    });
  });

  it("PD1.2 with today's clock its 2024 windows are wholly in the past and refused", () => {
    const later = new Date('2025-06-01T00:00:00.000Z');
    expect(errorsOf(parseCreateDeliveryRequest(validBody(), later))).toEqual([
      {
        field: 'Windows[0].End',
        message:
          'Windows[0].End (2024-09-10T15:59:59.999Z) is in the past: the whole window has ended (now is 2025-06-01T00:00:00.000Z)',
      },
      {
        field: 'Windows[1].End',
        message:
          'Windows[1].End (2024-09-11T15:59:59.999Z) is in the past: the whole window has ended (now is 2025-06-01T00:00:00.000Z)',
      },
    ]);
  });
});

describe('from request to dialable time, all pure (PD1.2, PD2.1, PD3.2)', () => {
  const configuration = valueOf(parseConfigurationInput({ ...nineToFiveConfiguration(), blackoutDates: ['2024-09-11'] }, { partial: false }));

  it("PD3.2 the seed's windows with a Los Angeles number: only the first day, from 15:00Z (08:00 in LA)", async () => {
    const request = valueOf(
      parseCreateDeliveryRequest(
        { ...seedBody(), DestinationPhoneNumber: '+1 213 555 0123' },
        NOW,
      ),
    );
    const permitted = computePermittedIntervals({
      windows: request.windows,
      policy: configuration,
      calleeTimeZones: await resolveCalleeTimeZones(
        request.destinationPhoneNumber,
      ),
      now: NOW,
    });
    // 13:00Z is 06:00 in Los Angeles; the LA 08:00 rule opens at 15:00Z; the 11th is a blackout day.
    expect(permitted).toEqual({
      ok: true,
      intervals: [
        {
          start: new Date('2024-09-10T15:00:00.000Z'),
          end: new Date('2024-09-10T15:59:59.999Z'),
        },
      ],
    });
    expect(
      nextPermittedInstant(permitted.ok ? permitted.intervals : [], NOW),
    ).toEqual(new Date('2024-09-10T15:00:00.000Z'));
  });
});

describe('valid variations (PD1.2)', () => {
  it('PD1.2 absent Windows means one window from now to now + 24 h', () => {
    const { Windows: _omitted, ...body } = validBody();
    const value = valueOf(parseCreateDeliveryRequest(body, NOW));
    expect(value.windows).toEqual([
      { start: NOW, end: new Date('2024-09-11T12:00:00.000Z') },
    ]);
    expect(value.windowsDefaulted).toBe(true);
  });

  it('PD1.2 null Windows and InputAttributes count as absent', () => {
    const value = valueOf(
      parseCreateDeliveryRequest(
        { ...validBody(), Windows: null, InputAttributes: null },
        NOW,
      ),
    );
    expect(value.windowsDefaulted).toBe(true);
    expect(value.inputAttributes).toEqual({});
  });

  it('PD1.2 GUIDs are accepted in any case and stored lower-case (Dataverse ids are not RFC 4122 versioned)', () => {
    const value = valueOf(
      parseCreateDeliveryRequest(
        {
          ...validBody(),
          ProactiveEngagementConfigId: 'CBBAC510-3E66-EF11-A671-6045BD03D9D8',
          ContactId: '761E062F-C734-EF11-8E4F-00224808A166',
        },
        NOW,
      ),
    );
    expect(value.proactiveEngagementConfigId).toBe(
      'cbbac510-3e66-ef11-a671-6045bd03d9d8',
    );
    expect(value.contactId).toBe('761e062f-c734-ef11-8e4f-00224808a166');
  });

  it('PD1.2 a window that has started but not ended is accepted', () => {
    const value = valueOf(
      parseCreateDeliveryRequest(
        withWindows(
          window('2024-09-10T11:00:00.000Z', '2024-09-10T12:00:00.001Z'),
        ),
        NOW,
      ),
    );
    expect(value.windows).toHaveLength(1);
  });

  it('PD1.2 limits are inclusive: 50 windows, 366 days ahead, 50 attributes, 100-char keys, 4000-char values', () => {
    const lastEnd = new Date(
      NOW.getTime() + CREATE_DELIVERY_LIMITS.windowHorizonDays * 86_400_000,
    ).toISOString();
    const windows = Array.from({ length: 49 }, () =>
      window('2024-09-10T13:00:00.000Z', '2024-09-10T14:00:00.000Z'),
    );
    const attributes = Object.fromEntries(
      Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']),
    );
    const body = {
      ...withWindows(...windows, window('2024-09-10T13:00:00.000Z', lastEnd)),
      InputAttributes: { ...attributes, ['k'.repeat(100)]: 'v'.repeat(4000) },
    };
    const value = valueOf(parseCreateDeliveryRequest(body, NOW));
    expect(value.windows).toHaveLength(50);
    expect(Object.keys(value.inputAttributes)).toHaveLength(50);
  });

  it('PD1.6 a callback request carries its InputAttributes through unchanged', () => {
    const attributes = {
      type: 'callback',
      msdyn_CaseTitle: 'Vitre cassée',
      msdyn_CustomerPhone: '+1234567890',
    };
    expect(
      valueOf(
        parseCreateDeliveryRequest(
          { ...validBody(), InputAttributes: attributes },
          NOW,
        ),
      ).inputAttributes,
    ).toEqual(attributes);
  });
});

const GUID_HINT = 'must be a GUID like 00000000-0000-0000-0000-000000000000';
const FORMAT_HINT =
  'must be a UTC timestamp in the format yyyy-MM-ddTHH:mm:ss.fffZ (e.g. 2024-09-10T13:00:00.000Z)';
const without = (field: string): Body => {
  const body = validBody();
  delete body[field];
  return body;
};
const attributes = (value: unknown): Body => ({
  ...validBody(),
  InputAttributes: value,
});
const manyKeys = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, 'v']));

/** [case, body, the fields that must be reported (in order), the message of the first one]. */
const MALFORMED: [string, unknown, string[], string | RegExp][] = [
  // ApiVersion
  [
    'ApiVersion missing',
    without('ApiVersion'),
    ['ApiVersion'],
    'ApiVersion is required',
  ],
  [
    'ApiVersion "2.0"',
    { ...validBody(), ApiVersion: '2.0' },
    ['ApiVersion'],
    'ApiVersion "2.0" is not supported; supported versions: 1.0',
  ],
  [
    'ApiVersion "1"',
    { ...validBody(), ApiVersion: '1' },
    ['ApiVersion'],
    'ApiVersion "1" is not supported; supported versions: 1.0',
  ],
  [
    'ApiVersion a number',
    { ...validBody(), ApiVersion: 1.0 },
    ['ApiVersion'],
    'ApiVersion must be a string, not a number',
  ],
  [
    'ApiVersion null',
    { ...validBody(), ApiVersion: null },
    ['ApiVersion'],
    'ApiVersion must be a string, not null',
  ],
  // ProactiveEngagementConfigId
  [
    'config id missing',
    without('ProactiveEngagementConfigId'),
    ['ProactiveEngagementConfigId'],
    'ProactiveEngagementConfigId is required',
  ],
  [
    'config id not a GUID',
    { ...validBody(), ProactiveEngagementConfigId: 'config-1' },
    ['ProactiveEngagementConfigId'],
    `ProactiveEngagementConfigId ${GUID_HINT}`,
  ],
  [
    'config id in braces',
    {
      ...validBody(),
      ProactiveEngagementConfigId: '{cbbac510-3e66-ef11-a671-6045bd03d9d8}',
    },
    ['ProactiveEngagementConfigId'],
    `ProactiveEngagementConfigId ${GUID_HINT}`,
  ],
  [
    'config id without dashes',
    {
      ...validBody(),
      ProactiveEngagementConfigId: 'cbbac5103e66ef11a6716045bd03d9d8',
    },
    ['ProactiveEngagementConfigId'],
    `ProactiveEngagementConfigId ${GUID_HINT}`,
  ],
  [
    'config id a number',
    { ...validBody(), ProactiveEngagementConfigId: 42 },
    ['ProactiveEngagementConfigId'],
    'ProactiveEngagementConfigId must be a string, not a number',
  ],
  // DestinationPhoneNumber
  [
    'phone missing',
    without('DestinationPhoneNumber'),
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber is required',
  ],
  [
    'phone too short (the seed sample)',
    { ...validBody(), DestinationPhoneNumber: '+123456798' },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber is not a valid number for any country plan (too short)',
  ],
  [
    'phone longer than 32 chars',
    {
      ...validBody(),
      DestinationPhoneNumber: '+1 212 555 0123 000 000 000 000 00',
    },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber must be at most 32 characters long',
  ],
  [
    'phone without +',
    { ...validBody(), DestinationPhoneNumber: '2125550123' },
    ['DestinationPhoneNumber'],
    /^DestinationPhoneNumber must be in international format/,
  ],
  [
    'phone a number',
    { ...validBody(), DestinationPhoneNumber: 12125550123 },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber must be a string, not a number',
  ],
  [
    'phone empty',
    { ...validBody(), DestinationPhoneNumber: '' },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber must not be empty',
  ],
  [
    'phone unknown country code',
    { ...validBody(), DestinationPhoneNumber: '+999 123 456' },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber does not start with a known country calling code',
  ],
  [
    'phone with extension',
    { ...validBody(), DestinationPhoneNumber: '+1 212 555 0123 ext. 9' },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber must not contain an extension (found "9")',
  ],
  [
    'phone in an unused range',
    { ...validBody(), DestinationPhoneNumber: '+1 212 055 0123' },
    ['DestinationPhoneNumber'],
    /^DestinationPhoneNumber is not a valid number for any country plan/,
  ],
  [
    'phone with letters',
    { ...validBody(), DestinationPhoneNumber: '+1 212 CALL NOW' },
    ['DestinationPhoneNumber'],
    'DestinationPhoneNumber is not a phone number',
  ],
  // ContactId
  [
    'contact id missing',
    without('ContactId'),
    ['ContactId'],
    'ContactId is required',
  ],
  [
    'contact id one digit short',
    { ...validBody(), ContactId: '761e062f-c734-ef11-8e4f-00224808a16' },
    ['ContactId'],
    `ContactId ${GUID_HINT}`,
  ],
  [
    'contact id empty',
    { ...validBody(), ContactId: '' },
    ['ContactId'],
    `ContactId ${GUID_HINT}`,
  ],
  [
    'contact id an object',
    { ...validBody(), ContactId: { id: 1 } },
    ['ContactId'],
    'ContactId must be a string, not a JSON object',
  ],
  // Windows
  [
    'Windows an object',
    { ...validBody(), Windows: { Start: '2024-09-10T13:00:00.000Z' } },
    ['Windows'],
    'Windows must be an array, not a JSON object',
  ],
  [
    'Windows empty',
    withWindows(),
    ['Windows'],
    'Windows must contain at least 1 window; leave Windows out for the default of the next 24 hours',
  ],
  [
    '51 windows',
    withWindows(
      ...Array.from({ length: 51 }, () =>
        window('2024-09-10T13:00:00.000Z', '2024-09-10T14:00:00.000Z'),
      ),
    ),
    ['Windows'],
    'Windows must contain at most 50 windows, got 51',
  ],
  [
    'a window that is a string',
    withWindows('2024-09-10T13:00:00.000Z'),
    ['Windows[0]'],
    'Windows[0] must be a JSON object, not a string',
  ],
  [
    'Start missing',
    withWindows(
      window('2024-09-10T13:00:00.000Z', '2024-09-10T14:00:00.000Z'),
      { End: '2024-09-10T14:00:00.000Z' },
    ),
    ['Windows[1].Start'],
    'Windows[1].Start is required',
  ],
  [
    'End missing',
    withWindows({ Start: '2024-09-10T13:00:00.000Z' }),
    ['Windows[0].End'],
    'Windows[0].End is required',
  ],
  [
    'Start without milliseconds',
    withWindows(window('2024-09-10T13:00:00Z', '2024-09-10T14:00:00.000Z')),
    ['Windows[0].Start'],
    `Windows[0].Start ${FORMAT_HINT}, got "2024-09-10T13:00:00Z"`,
  ],
  [
    'Start with a space',
    withWindows(window('2024-09-10 13:00:00.000Z', '2024-09-10T14:00:00.000Z')),
    ['Windows[0].Start'],
    `Windows[0].Start ${FORMAT_HINT}, got "2024-09-10 13:00:00.000Z"`,
  ],
  [
    'Start with an offset',
    withWindows(
      window('2024-09-10T15:00:00.000+02:00', '2024-09-10T14:00:00.000Z'),
    ),
    ['Windows[0].Start'],
    `Windows[0].Start ${FORMAT_HINT}, got "2024-09-10T15:00:00.000+02:00"`,
  ],
  [
    'End without Z',
    withWindows(window('2024-09-10T13:00:00.000Z', '2024-09-10T14:00:00.000')),
    ['Windows[0].End'],
    `Windows[0].End ${FORMAT_HINT}, got "2024-09-10T14:00:00.000"`,
  ],
  [
    'Start a date only',
    withWindows(window('2024-09-10', '2024-09-10T14:00:00.000Z')),
    ['Windows[0].Start'],
    `Windows[0].Start ${FORMAT_HINT}, got "2024-09-10"`,
  ],
  [
    'End on 30 February',
    withWindows(window('2024-09-10T13:00:00.000Z', '2024-02-30T14:00:00.000Z')),
    ['Windows[0].End'],
    'Windows[0].End is not a real date and time, got "2024-02-30T14:00:00.000Z"',
  ],
  [
    'End on 31 September',
    withWindows(window('2024-09-10T13:00:00.000Z', '2024-09-31T14:00:00.000Z')),
    ['Windows[0].End'],
    'Windows[0].End is not a real date and time, got "2024-09-31T14:00:00.000Z"',
  ],
  [
    'Start at hour 24',
    withWindows(window('2024-09-10T24:00:00.000Z', '2024-09-11T14:00:00.000Z')),
    ['Windows[0].Start'],
    'Windows[0].Start is not a real date and time, got "2024-09-10T24:00:00.000Z"',
  ],
  [
    'Start at minute 60',
    withWindows(window('2024-09-10T13:60:00.000Z', '2024-09-11T14:00:00.000Z')),
    ['Windows[0].Start'],
    'Windows[0].Start is not a real date and time, got "2024-09-10T13:60:00.000Z"',
  ],
  [
    'Start as epoch milliseconds',
    withWindows(window(1725973200000, '2024-09-10T14:00:00.000Z')),
    ['Windows[0].Start'],
    'Windows[0].Start must be a string, not a number',
  ],
  [
    'End equal to Start',
    withWindows(window('2024-09-10T13:00:00.000Z', '2024-09-10T13:00:00.000Z')),
    ['Windows[0].End'],
    'Windows[0].End (2024-09-10T13:00:00.000Z) must be later than Start (2024-09-10T13:00:00.000Z)',
  ],
  [
    'End before Start',
    withWindows(window('2024-09-10T13:00:00.000Z', '2024-09-10T12:30:00.000Z')),
    ['Windows[0].End'],
    'Windows[0].End (2024-09-10T12:30:00.000Z) must be later than Start (2024-09-10T13:00:00.000Z)',
  ],
  [
    'a window wholly in the past',
    withWindows(window('2024-09-09T13:00:00.000Z', '2024-09-09T15:00:00.000Z')),
    ['Windows[0].End'],
    'Windows[0].End (2024-09-09T15:00:00.000Z) is in the past: the whole window has ended (now is 2024-09-10T12:00:00.000Z)',
  ],
  [
    'a window ending exactly now',
    withWindows(window('2024-09-10T11:00:00.000Z', '2024-09-10T12:00:00.000Z')),
    ['Windows[0].End'],
    /^Windows\[0\]\.End \(2024-09-10T12:00:00\.000Z\) is in the past/,
  ],
  [
    'a window beyond the horizon',
    withWindows(window('2024-09-10T13:00:00.000Z', '2025-09-11T12:00:00.001Z')),
    ['Windows[0].End'],
    'Windows[0].End (2025-09-11T12:00:00.001Z) must be at most 366 days from now (2025-09-11T12:00:00.000Z)',
  ],
  [
    'an extra window field',
    withWindows({
      ...window('2024-09-10T13:00:00.000Z', '2024-09-10T14:00:00.000Z'),
      TimeZone: 'UTC',
    }),
    ['Windows[0].TimeZone'],
    'Windows[0].TimeZone is not a known field (expected Start, End)',
  ],
  [
    'window fields in camelCase',
    withWindows({
      start: '2024-09-10T13:00:00.000Z',
      End: '2024-09-10T14:00:00.000Z',
    }),
    ['Windows[0].Start', 'Windows[0].start'],
    'Windows[0].Start is required',
  ],
  // InputAttributes
  [
    'InputAttributes an array',
    attributes(['callback']),
    ['InputAttributes'],
    'InputAttributes must be a JSON object, not an array',
  ],
  [
    'InputAttributes a string',
    attributes('type=callback'),
    ['InputAttributes'],
    'InputAttributes must be a JSON object, not a string',
  ],
  [
    'an attribute that is a boolean',
    attributes({ isFinalAttempt: false }),
    ['InputAttributes.isFinalAttempt'],
    'InputAttributes.isFinalAttempt must be a string, not a boolean (false)',
  ],
  [
    'an attribute that is a number',
    attributes({ orderNumber: 123456789 }),
    ['InputAttributes.orderNumber'],
    'InputAttributes.orderNumber must be a string, not a number',
  ],
  [
    'an attribute that is an object',
    attributes({ customer: { name: 'Sarah' } }),
    ['InputAttributes.customer'],
    'InputAttributes.customer must be a string, not a JSON object',
  ],
  [
    'an attribute key with a space',
    attributes({ 'case title': 1 }),
    ['InputAttributes["case title"]'],
    'InputAttributes["case title"] must be a string, not a number',
  ],
  [
    'an attribute value over 4000 chars',
    attributes({ note: 'x'.repeat(4001) }),
    ['InputAttributes.note'],
    'InputAttributes.note must be at most 4000 characters long',
  ],
  [
    '51 attributes',
    attributes(manyKeys(51)),
    ['InputAttributes'],
    'InputAttributes must have at most 50 attributes, got 51',
  ],
  [
    'an attribute key over 100 chars',
    attributes({ ['k'.repeat(101)]: 'v' }),
    ['InputAttributes'],
    `InputAttributes key "${'k'.repeat(40)}…" must be at most 100 characters long`,
  ],
  [
    'an empty attribute key',
    attributes({ '': 'v' }),
    ['InputAttributes'],
    'InputAttributes must not have an empty or blank key',
  ],
  [
    'the __proto__ attribute key',
    attributes(JSON.parse('{"__proto__": {"isAdmin": "true"}}')),
    ['InputAttributes'],
    'InputAttributes must not use the reserved key "__proto__"',
  ],
  // Unknown fields and the body itself
  [
    'an unknown field',
    { ...validBody(), Priority: 'high' },
    ['Priority'],
    'Priority is not a known field (expected ApiVersion, ProactiveEngagementConfigId, DestinationPhoneNumber, ContactId, Windows, InputAttributes)',
  ],
  [
    'a field in the wrong case',
    {
      ...without('ContactId'),
      contactId: '761e062f-c734-ef11-8e4f-00224808a166',
    },
    ['ContactId', 'contactId'],
    'ContactId is required',
  ],
  [
    'the body null',
    null,
    [''],
    'The request body must be a JSON object, not null',
  ],
  [
    'the body an array',
    [validBody()],
    [''],
    'The request body must be a JSON object, not an array',
  ],
  [
    'the body a string',
    JSON.stringify(validBody()),
    [''],
    'The request body must be a JSON object, not a string',
  ],
  [
    'the body a number',
    42,
    [''],
    'The request body must be a JSON object, not a number',
  ],
];

describe('malformed create requests are refused with field-specific errors (PD1.2, PD1.4)', () => {
  it('the table covers at least 40 cases', () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(40);
  });

  it.each(MALFORMED)('PD1.2 %s', (_case, body, fields, message) => {
    const errors = errorsOf(parseCreateDeliveryRequest(body, NOW));
    expect(errors.map((error) => error.field)).toEqual(fields);
    expect(errors[0].message).toMatch(
      typeof message === 'string'
        ? new RegExp(`^${escapeRegExp(message)}$`)
        : message,
    );
  });

  it('PD1.2 the wrong-case hint names the right field', () => {
    const errors = errorsOf(
      parseCreateDeliveryRequest(
        {
          ...without('ContactId'),
          contactId: '761e062f-c734-ef11-8e4f-00224808a166',
        },
        NOW,
      ),
    );
    expect(errors[1].message).toBe(
      'contactId is not a known field (did you mean "ContactId"? Field names are case-sensitive)',
    );
  });

  it('PD1.2 reports every problem at once, unknown fields included', () => {
    const body = {
      ...validBody(),
      ApiVersion: '2.0',
      ContactId: 'x',
      Windows: [
        window('2024-09-10T13:00:00Z', '2024-09-10T14:00:00.000Z'),
        window('2024-09-10T14:00:00.000Z', '2024-09-10T13:00:00.000Z'),
      ],
      InputAttributes: { isFinalAttempt: false },
      Extra: 1,
    };
    expect(
      errorsOf(parseCreateDeliveryRequest(body, NOW)).map(
        (error) => error.field,
      ),
    ).toEqual([
      'ApiVersion',
      'ContactId',
      'Windows[0].Start',
      'Windows[1].End',
      'InputAttributes.isFinalAttempt',
      'Extra',
    ]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
