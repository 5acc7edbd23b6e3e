import { describe, expect, it } from 'vitest';
import { nineToFiveConfiguration as validInput } from '../test-support/fixtures';
import { errorsOf, valueOf } from '../test-support/validation-result';
import { parseConfigurationInput } from './configuration.schema';

type Input = ReturnType<typeof validInput> & Record<string, unknown>;
const withField = (field: string, value: unknown): Input => ({
  ...validInput(),
  [field]: value,
});
const withHours = (day: string, ranges: unknown): Input => ({
  ...validInput(),
  contactHours: { ...validInput().contactHours, [day]: ranges },
});

describe('configuration create (PD2.1, PD2.2)', () => {
  it('PD2.1 accepts a complete configuration, normalises it and applies defaults', () => {
    const value = valueOf(
      parseConfigurationInput(
        {
          ...validInput(),
          name: '  Order callbacks ',
          timeZone: 'US/Eastern',
          blackoutDates: ['2024-12-25', '2024-07-04'],
        },
        { partial: false },
      ),
    );
    expect(value).toEqual({
      ...validInput(),
      outboundProfile: {
        callerIdNumber: '+12125550100',
        providerName: 'simulator',
      },
      timeZone: 'America/New_York',
      blackoutDates: ['2024-07-04', '2024-12-25'],
      enabled: true,
      frequencyCap: null,
      calleeLocalHours: { start: '08:00', end: '21:00' },
    });
  });

  it('PD2.2 accepts both dialing modes', () => {
    expect(
      valueOf(
        parseConfigurationInput(withField('dialingMode', 'agent_first'), {
          partial: false,
        }),
      ).dialingMode,
    ).toBe('agent_first');
    expect(
      valueOf(
        parseConfigurationInput(withField('dialingMode', 'customer_first'), {
          partial: false,
        }),
      ).dialingMode,
    ).toBe('customer_first');
  });

  it('PD3.2 accepts split days, touching ranges, "24:00" and a narrower callee rule', () => {
    const input = {
      ...withHours('sat', [
        { start: '12:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
        { start: '20:00', end: '24:00' },
      ]),
      calleeLocalHours: { start: '09:00', end: '20:00' },
      frequencyCap: { maxAttempts: 5, periodHours: 24 },
      enabled: false,
    };
    const value = valueOf(parseConfigurationInput(input, { partial: false }));
    expect(value.contactHours.sat).toHaveLength(3);
    expect(value.calleeLocalHours).toEqual({ start: '09:00', end: '20:00' });
    expect(value.frequencyCap).toEqual({ maxAttempts: 5, periodHours: 24 });
    expect(value.enabled).toBe(false);
  });

  it('PD2.1 lists every missing required field', () => {
    expect(
      errorsOf(parseConfigurationInput({}, { partial: false })).map(
        (error) => error.field,
      ),
    ).toEqual([
      'name',
      'dialingMode',
      'workflowId',
      'outboundProfile',
      'maxAttempts',
      'retryIntervalsSeconds',
      'timeZone',
      'contactHours',
    ]);
  });
});

const MALFORMED: [string, unknown, string[], string][] = [
  ['blank name', withField('name', '   '), ['name'], 'name must not be empty'],
  [
    'long name',
    withField('name', 'n'.repeat(201)),
    ['name'],
    'name must be at most 200 characters long',
  ],
  [
    'unknown dialing mode',
    withField('dialingMode', 'predictive'),
    ['dialingMode'],
    'dialingMode must be one of "customer_first", "agent_first"',
  ],
  [
    'workflow id a number',
    withField('workflowId', 7),
    ['workflowId'],
    'workflowId must be a string, not a number',
  ],
  [
    'caller id not valid',
    withField('outboundProfile', {
      callerIdNumber: '+123456798',
      providerName: 'simulator',
    }),
    ['outboundProfile.callerIdNumber'],
    'outboundProfile.callerIdNumber is not a valid number for any country plan (too short)',
  ],
  [
    'caller id national format',
    withField('outboundProfile', {
      callerIdNumber: '(212) 555-0100',
      providerName: 'simulator',
    }),
    ['outboundProfile.callerIdNumber'],
    'outboundProfile.callerIdNumber must be in international format: "+", then the country code and number (e.g. +14155552671)',
  ],
  [
    'provider name capitalised',
    withField('outboundProfile', {
      callerIdNumber: '+12125550100',
      providerName: 'Twilio',
    }),
    ['outboundProfile.providerName'],
    'outboundProfile.providerName must be a lowercase provider name such as "simulator" or "http" (a–z, 0–9, "-", "_"; up to 64 characters), got "Twilio"',
  ],
  [
    'provider name missing',
    withField('outboundProfile', { callerIdNumber: '+12125550100' }),
    ['outboundProfile.providerName'],
    'outboundProfile.providerName is required',
  ],
  [
    'outbound profile extra field',
    withField('outboundProfile', {
      callerIdNumber: '+12125550100',
      providerName: 'http',
      url: 'x',
    }),
    ['outboundProfile.url'],
    'outboundProfile.url is not a known field (expected callerIdNumber, providerName)',
  ],
  [
    'zero attempts',
    withField('maxAttempts', 0),
    ['maxAttempts'],
    'maxAttempts must be at least 1',
  ],
  [
    '21 attempts',
    withField('maxAttempts', 21),
    ['maxAttempts'],
    'maxAttempts must be at most 20',
  ],
  [
    'fractional attempts',
    withField('maxAttempts', 2.5),
    ['maxAttempts'],
    'maxAttempts must be a whole number, got 2.5',
  ],
  [
    'attempts as text',
    withField('maxAttempts', '3'),
    ['maxAttempts'],
    'maxAttempts must be a number, not a string',
  ],
  [
    'retry too soon',
    withField('retryIntervalsSeconds', {
      busy: 10,
      no_answer: 900,
      voicemail: 3600,
      failed: 600,
    }),
    ['retryIntervalsSeconds.busy'],
    'retryIntervalsSeconds.busy must be at least 30',
  ],
  [
    'retry too late',
    withField('retryIntervalsSeconds', {
      busy: 300,
      no_answer: 900,
      voicemail: 3600,
      failed: 86_401,
    }),
    ['retryIntervalsSeconds.failed'],
    'retryIntervalsSeconds.failed must be at most 86400',
  ],
  [
    'retry outcome missing',
    withField('retryIntervalsSeconds', {
      busy: 300,
      voicemail: 3600,
      failed: 600,
    }),
    ['retryIntervalsSeconds.no_answer'],
    'retryIntervalsSeconds.no_answer is required',
  ],
  [
    'retry for answered',
    withField('retryIntervalsSeconds', {
      busy: 300,
      no_answer: 900,
      voicemail: 3600,
      failed: 600,
      answered: 60,
    }),
    ['retryIntervalsSeconds.answered'],
    'retryIntervalsSeconds.answered is not a known field (expected busy, no_answer, voicemail, failed)',
  ],
  [
    'misspelt zone',
    withField('timeZone', 'Europe/Berln'),
    ['timeZone'],
    'timeZone must be an IANA time zone name such as "Europe/Berlin", got "Europe/Berln"',
  ],
  [
    'offset instead of zone',
    withField('timeZone', '+02:00'),
    ['timeZone'],
    'timeZone must be an IANA time zone name such as "Europe/Berlin", got "+02:00"',
  ],
  [
    'a weekday missing',
    (() => {
      const { sun: _dropped, ...sixDays } = validInput().contactHours;
      return { ...validInput(), contactHours: sixDays };
    })(),
    ['contactHours.sun'],
    'contactHours.sun is required',
  ],
  [
    'a weekday spelt out',
    withHours('monday', validInput().contactHours.mon),
    ['contactHours.monday'],
    'contactHours.monday is not a known field (expected mon, tue, wed, thu, fri, sat, sun)',
  ],
  [
    'a day that is not a list',
    withHours('wed', { start: '09:00', end: '17:00' }),
    ['contactHours.wed'],
    'contactHours.wed must be an array, not a JSON object',
  ],
  [
    'start without leading zero',
    withHours('mon', [{ start: '9:00', end: '17:00' }]),
    ['contactHours.mon[0].start'],
    'contactHours.mon[0].start must be a time "HH:mm", got "9:00"',
  ],
  [
    '24:00 as a start',
    withHours('mon', [{ start: '24:00', end: '24:00' }]),
    ['contactHours.mon[0].start'],
    'contactHours.mon[0].start must be a time "HH:mm", got "24:00"',
  ],
  [
    'end after midnight',
    withHours('mon', [{ start: '20:00', end: '24:30' }]),
    ['contactHours.mon[0].end'],
    'contactHours.mon[0].end must be a time "HH:mm" (or "24:00"), got "24:30"',
  ],
  [
    'end before start',
    withHours('tue', [{ start: '17:00', end: '09:00' }]),
    ['contactHours.tue[0].end'],
    'contactHours.tue[0].end (09:00) must be later than start (17:00)',
  ],
  [
    'empty range',
    withHours('tue', [{ start: '09:00', end: '09:00' }]),
    ['contactHours.tue[0].end'],
    'contactHours.tue[0].end (09:00) must be later than start (09:00)',
  ],
  [
    'overlapping ranges',
    withHours('thu', [
      { start: '09:00', end: '12:00' },
      { start: '11:30', end: '14:00' },
    ]),
    ['contactHours.thu[1]'],
    'contactHours.thu[1] overlaps 09:00–12:00 on the same day',
  ],
  [
    'a range inside another, listed after a third',
    withHours('fri', [
      { start: '09:00', end: '17:00' },
      { start: '10:00', end: '11:00' },
      { start: '12:00', end: '13:00' },
    ]),
    ['contactHours.fri[1]', 'contactHours.fri[2]'],
    'contactHours.fri[1] overlaps 09:00–17:00 on the same day',
  ],
  [
    '13 ranges in a day',
    withHours(
      'sat',
      Array.from({ length: 13 }, (_, i) => ({
        start: `${String(i + 8).padStart(2, '0')}:00`,
        end: `${String(i + 8).padStart(2, '0')}:30`,
      })),
    ),
    ['contactHours.sat'],
    'contactHours.sat must contain at most 12 items',
  ],
  [
    'a range with an extra field',
    withHours('sun', [{ start: '10:00', end: '12:00', zone: 'UTC' }]),
    ['contactHours.sun[0].zone'],
    'contactHours.sun[0].zone is not a known field (expected start, end)',
  ],
  [
    'impossible blackout date',
    withField('blackoutDates', ['2024-02-30']),
    ['blackoutDates[0]'],
    'blackoutDates[0] must be a real date "yyyy-MM-dd", got "2024-02-30"',
  ],
  [
    'blackout date in another format',
    withField('blackoutDates', ['2024-12-24', '25.12.2024']),
    ['blackoutDates[1]'],
    'blackoutDates[1] must be a real date "yyyy-MM-dd", got "25.12.2024"',
  ],
  [
    'repeated blackout date',
    withField('blackoutDates', ['2024-12-25', '2024-12-26', '2024-12-25']),
    ['blackoutDates[2]'],
    'blackoutDates[2] repeats 2024-12-25',
  ],
  [
    'enabled as text',
    withField('enabled', 'yes'),
    ['enabled'],
    'enabled must be true or false, not a string',
  ],
  [
    'frequency cap of zero',
    withField('frequencyCap', { maxAttempts: 0, periodHours: 24 }),
    ['frequencyCap.maxAttempts'],
    'frequencyCap.maxAttempts must be at least 1',
  ],
  [
    'frequency cap over 30 days',
    withField('frequencyCap', { maxAttempts: 3, periodHours: 721 }),
    ['frequencyCap.periodHours'],
    'frequencyCap.periodHours must be at most 720',
  ],
  [
    'callee hours wider than the law',
    withField('calleeLocalHours', { start: '07:00', end: '21:00' }),
    ['calleeLocalHours'],
    'calleeLocalHours (07:00–21:00) may only narrow the legal 08:00–21:00 callee-local hours',
  ],
  [
    'callee hours into the night',
    withField('calleeLocalHours', { start: '08:00', end: '22:00' }),
    ['calleeLocalHours'],
    'calleeLocalHours (08:00–22:00) may only narrow the legal 08:00–21:00 callee-local hours',
  ],
  [
    'a field in the wrong case',
    { ...validInput(), TimeZone: 'UTC' },
    ['TimeZone'],
    'TimeZone is not a known field (did you mean "timeZone"? Field names are case-sensitive)',
  ],
  [
    'the body an array',
    [validInput()],
    [''],
    'The configuration must be a JSON object, not an array',
  ],
];

describe('malformed configurations are refused with field-specific errors (PD2.1, PD3.2)', () => {
  it.each(MALFORMED)('PD2.1 %s', (_case, body, fields, message) => {
    const errors = errorsOf(parseConfigurationInput(body, { partial: false }));
    expect(errors.map((error) => error.field)).toEqual(fields);
    expect(errors[0].message).toBe(message);
  });

  it('PD2.1 reports unknown fields together with other errors', () => {
    const errors = errorsOf(
      parseConfigurationInput(
        {
          ...validInput(),
          maxAttempts: 2.5,
          timeZone: 'Nowhere',
          colour: 'blue',
        },
        { partial: false },
      ),
    );
    expect(errors.map((error) => error.field)).toEqual([
      'maxAttempts',
      'timeZone',
      'colour',
    ]);
  });
});

describe('configuration PATCH (PD2.1)', () => {
  it('PD2.1 accepts a subset and adds no defaults', () => {
    expect(
      valueOf(parseConfigurationInput({ enabled: false }, { partial: true })),
    ).toEqual({ enabled: false });
    expect(
      valueOf(
        parseConfigurationInput(
          { frequencyCap: null, timeZone: 'europe/berlin' },
          { partial: true },
        ),
      ),
    ).toEqual({ frequencyCap: null, timeZone: 'Europe/Berlin' });
  });

  it('PD2.1 validates the fields it carries, whole nested objects included', () => {
    expect(
      errorsOf(
        parseConfigurationInput(
          {
            maxAttempts: 99,
            outboundProfile: { callerIdNumber: '+12125550100' },
          },
          { partial: true },
        ),
      ),
    ).toEqual([
      {
        field: 'outboundProfile.providerName',
        message: 'outboundProfile.providerName is required',
      },
      { field: 'maxAttempts', message: 'maxAttempts must be at most 20' },
    ]);
  });

  it('PD2.1 refuses an empty PATCH, naming the fields that could change', () => {
    expect(errorsOf(parseConfigurationInput({}, { partial: true }))).toEqual([
      {
        field: '',
        message:
          'The configuration must change at least one field (name, dialingMode, workflowId, outboundProfile, maxAttempts, retryIntervalsSeconds, timeZone, contactHours, blackoutDates, enabled, frequencyCap, calleeLocalHours)',
      },
    ]);
  });

  it('PD2.1 refuses unknown fields and non-objects', () => {
    expect(
      errorsOf(
        parseConfigurationInput(
          { enabled: true, priority: 1 },
          { partial: true },
        ),
      ).map((error) => error.field),
    ).toEqual(['priority']);
    expect(errorsOf(parseConfigurationInput(null, { partial: true }))).toEqual([
      {
        field: '',
        message: 'The configuration must be a JSON object, not null',
      },
    ]);
  });
});
