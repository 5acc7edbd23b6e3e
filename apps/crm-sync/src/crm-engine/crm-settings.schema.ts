import { closed, wholeNumber } from '@switchboard/validation';
import { z } from 'zod';
import { oauthAuthSchema, type StoredOAuth } from '../oauth/crm-oauth-settings';
import { compileEndpoint, CRM_ENDPOINT_KINDS, CRM_METHODS, type CrmEndpointKind, type CrmEndpointSettings } from './crm-endpoint';
import { UPLOAD_FORMS } from './crm-upload';
import { PHONE_FORMATS } from './phone-format';
import { CrmTemplateError } from './template-error';

export const CRM_SETTINGS_LIMITS = {
  requestTimeoutSeconds: { min: 1, max: 10 },
  parametersPerEndpoint: 50,
  customHeaders: 20,
} as const;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
// Headers the HTTP client sets itself, or that would change how the request is framed or routed.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'accept']);
const headerValue = z.string().min(1).max(4096).regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must be one line of visible characters');

const customHeader = closed({
  name: z
    .string()
    .regex(HEADER_NAME, 'must be an HTTP header name (letters, digits and -)')
    .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()) && !name.toLowerCase().startsWith('proxy-'), 'is set by crm-sync itself and may not be configured'),
  /** Write-only; left out, the stored value of the same header is kept. */
  value: headerValue.optional(),
});

/** CS1.1 authentication; secrets are write-only (left out: the stored ones are kept). */
const authSchema = z.discriminatedUnion('type', [
  closed({ type: z.literal('none') }),
  closed({ type: z.literal('basic'), username: z.string().min(1).max(256).regex(/^[^:\r\n]*$/, 'may not contain ":" or line breaks'), password: headerValue.optional() }),
  closed({
    type: z.literal('custom_headers'),
    headers: z
      .array(customHeader)
      .min(1)
      .max(CRM_SETTINGS_LIMITS.customHeaders)
      .refine((headers) => new Set(headers.map((header) => header.name.toLowerCase())).size === headers.length, 'names each header once'),
  }),
  oauthAuthSchema,
]);

const bodyFormatSchema = z.discriminatedUnion('type', [
  closed({ type: z.literal('properties') }),
  closed({ type: z.literal('container'), containerType: z.enum(['map', 'array']), containerName: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$-]{0,99}$/, 'must be a property name') }),
]);

const endpointSchema = closed({
  url: z.string().min(1).max(2048),
  method: z.enum(CRM_METHODS),
  parameters: z
    .record(z.string().regex(/^[A-Za-z0-9_$.@-]{1,100}$/, 'parameter names are letters, digits and _ $ . @ -'), z.union([z.string().max(4096), z.number(), z.boolean()]))
    .refine((parameters) => Object.keys(parameters).length <= CRM_SETTINGS_LIMITS.parametersPerEndpoint, `at most ${CRM_SETTINGS_LIMITS.parametersPerEndpoint} parameters`)
    .default({}),
  bodyFormat: bodyFormatSchema.optional(),
  responseDataLocation: z.string().max(200).optional(),
  responseIdProperty: z.string().max(200).optional(),
  /** uploadFile only (CS2.6). */
  upload: closed({
    form: z.enum(UPLOAD_FORMS).default('base64'),
    attachmentUrlTemplate: z.string().max(2048).optional(),
    attachmentUrlLocation: z.string().max(200).optional(),
    addComment: z.boolean().default(false),
  }).optional(),
  /** Send an `Idempotency-Key` header (the same on every try of a session step); default: on for POST and PATCH. */
  idempotencyKey: z.boolean().optional(),
});

/** A lookup URL for agents (CS1.4): http(s), holding the id variable. */
const lookupUrl = (variable: string) =>
  z
    .string()
    .max(2048)
    .refine((url) => /^https?:\/\/[^/?#{}]+/i.test(url), 'must be an absolute http(s) URL')
    .refine((url) => url.includes(`{${variable}}`), `must hold {${variable}}`);

/** CS2.2: the endpoints each tier needs on top of the one before. */
const TIERS: readonly (readonly CrmEndpointKind[])[] = [
  ['findAccountByQuery', 'createAccount'],
  ['findRecordByQuery', 'createRecord'],
  ['updateRecord', 'uploadFile', 'comment'],
];

/** The body of `PUT /crm/custom/settings`. */
export const customCrmSettingsSchema = closed({
  auth: authSchema,
  phoneFormat: z.enum(PHONE_FORMATS).default('automatic'),
  requestTimeoutSeconds: wholeNumber(CRM_SETTINGS_LIMITS.requestTimeoutSeconds).default(5),
  accountLookupUrl: lookupUrl('ACCOUNT_ID').optional(),
  recordLookupUrl: lookupUrl('RECORD_ID').optional(),
  reuseExistingRecords: z.boolean().default(true),
  endpoints: z.partialRecord(z.enum(CRM_ENDPOINT_KINDS), endpointSchema).default({}),
}).superRefine((settings, ctx) => {
  for (const [kind, endpoint] of Object.entries(settings.endpoints) as [CrmEndpointKind, CrmEndpointSettings][]) {
    try {
      compileEndpoint(kind, endpoint);
    } catch (error) {
      if (!(error instanceof CrmTemplateError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['endpoints', kind], message: error.message });
    }
  }
  const configured = (kind: CrmEndpointKind) => settings.endpoints[kind] !== undefined;
  TIERS.forEach((tier, index) => {
    const needed = TIERS.slice(0, index + 1).flat();
    if (tier.some(configured) && !needed.every(configured)) {
      ctx.addIssue({ code: 'custom', path: ['endpoints'], message: `${tier.join(', ')} also need ${needed.filter((kind) => !configured(kind)).join(', ')} (CS2.2)` });
    }
  });
});

export type CustomCrmSettingsInput = z.output<typeof customCrmSettingsSchema>;
export type CrmAuthInput = CustomCrmSettingsInput['auth'];

export const customCrmSettingsExample: z.input<typeof customCrmSettingsSchema> = {
  auth: { type: 'basic', username: 'switchboard', password: 'the CRM password' },
  phoneFormat: 'e164',
  requestTimeoutSeconds: 5,
  accountLookupUrl: 'https://crm.example.com/contact/{ACCOUNT_ID}',
  recordLookupUrl: 'https://crm.example.com/record/{RECORD_ID}',
  endpoints: {
    findAccountByQuery: { url: 'https://crm.example.com/api/accounts', method: 'GET', parameters: { criteria: '=CONCAT_OR((Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))' }, responseDataLocation: 'data' },
    createAccount: { url: 'https://crm.example.com/api/accounts', method: 'POST', parameters: { name: '{NAME}', phone: '{PHONE_NUMBER}' }, bodyFormat: { type: 'properties' }, responseDataLocation: 'data' },
  },
};

/** What the API shows: every setting, of the secrets only which are set. */
export interface CustomCrmSettingsView {
  auth:
    | { type: 'none' }
    | { type: 'basic'; username: string; passwordSet: boolean }
    | { type: 'custom_headers'; headers: { name: string; valueSet: boolean }[] }
    /** `connected`: a refresh token from the connect flow is stored (authorization code grant). */
    | (StoredOAuth & { clientSecretSet: boolean; connected: boolean });
  phoneFormat: CustomCrmSettingsInput['phoneFormat'];
  requestTimeoutSeconds: number;
  accountLookupUrl?: string;
  recordLookupUrl?: string;
  reuseExistingRecords: boolean;
  endpoints: Partial<Record<CrmEndpointKind, CrmEndpointSettings>>;
  updatedAt: string;
}
