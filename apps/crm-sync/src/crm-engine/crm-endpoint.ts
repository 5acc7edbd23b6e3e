import { type CompiledUpload, compileUpload, type UploadSettings } from './crm-upload';
import type { CrmVariable } from './crm-variables';
import { sendsIdempotencyKeyByDefault } from './idempotency-key';
import { parseRequestParameter, type RequestParameter } from './request-parameter';
import { parseResponseLocation, type ResponseLocation } from './response-location';
import { type ParsedTemplate, parseTemplate } from './template';
import { CrmTemplateError } from './template-error';

/** The endpoints of CS2.1. */
export const CRM_ENDPOINT_KINDS = [
  'findAccountByQuery',
  'findAccountById',
  'createAccount',
  'findRecordByQuery',
  'createRecord',
  'updateRecord',
  'uploadFile',
  'comment',
] as const;
export type CrmEndpointKind = (typeof CRM_ENDPOINT_KINDS)[number];

export const CRM_METHODS = ['GET', 'POST', 'PUT', 'PATCH'] as const;
export type CrmMethod = (typeof CRM_METHODS)[number];

/** How POST/PUT/PATCH parameters become the JSON body (CS2.1). */
export type BodyFormat = { type: 'properties' } | { type: 'container'; containerType: 'map' | 'array'; containerName: string };

/** An endpoint as an administrator configures it. */
export interface CrmEndpointSettings {
  url: string;
  method: CrmMethod;
  parameters: Record<string, string | number | boolean>;
  bodyFormat?: BodyFormat;
  /** Path to the object inside the JSON answer, e.g. `data[0]`; empty: the answer itself. */
  responseDataLocation?: string;
  /** The object's id property (default `id`). */
  responseIdProperty?: string;
  /** uploadFile only (CS2.6): the form, the attachment URL, the comment. */
  upload?: UploadSettings;
  /** Send an `Idempotency-Key` header, the same on every try of a session step (default: on for POST and PATCH). */
  idempotencyKey?: boolean;
}

/** An endpoint with its templates parsed once, ready to render for any session. */
export interface CompiledEndpoint {
  kind: CrmEndpointKind;
  method: CrmMethod;
  url: ParsedTemplate;
  parameters: ReadonlyArray<readonly [string, RequestParameter]>;
  bodyFormat: BodyFormat;
  responseLocation: ResponseLocation;
  /** Where the id is inside the object found (default `id`). */
  responseIdLocation: ResponseLocation;
  /** uploadFile: its CS2.6 settings, and the parameter that carries the file ({FILE_DATA}). */
  upload?: CompiledUpload & { fileParameter: string };
  /** Whether a session step's call sends its Idempotency-Key. */
  idempotencyKey: boolean;
}

/** Everything before the path: scheme, credentials, host and port. */
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** Parses an endpoint's templates; a CrmTemplateError names the endpoint and what is wrong. */
export function compileEndpoint(kind: CrmEndpointKind, settings: CrmEndpointSettings): CompiledEndpoint {
  const where = `endpoint ${kind}`;
  const authority = AUTHORITY.exec(settings.url)?.[0];
  if (!authority || !/^https?:\/\//i.test(authority)) throw new CrmTemplateError(`${where}: the URL must be an absolute http(s) URL`);
  // A variable in the host would let session data choose the server; values belong in the path and query.
  if (/[{}]/.test(authority)) throw new CrmTemplateError(`${where}: variables may be used in the URL's path and query, not in its host`);
  const url = parseTemplate(settings.url, `${where} URL`);
  if (kind === 'findAccountById' && !url.variables.includes('ACCOUNT_ID')) {
    throw new CrmTemplateError(`${where}: the URL must hold {ACCOUNT_ID} (CS2.3), e.g. https://crm.example.com/accounts/{ACCOUNT_ID}`);
  }
  const parameters = Object.entries(settings.parameters).map(([key, value]) => [key, parseRequestParameter(key, value)] as const);
  if (settings.upload && kind !== 'uploadFile') throw new CrmTemplateError(`${where}: upload settings belong to the uploadFile endpoint only`);
  return {
    kind,
    method: settings.method,
    url,
    parameters,
    bodyFormat: settings.bodyFormat ?? { type: 'properties' },
    responseLocation: parseResponseLocation(settings.responseDataLocation ?? '', `${where} responseDataLocation`),
    responseIdLocation: parseResponseLocation(settings.responseIdProperty ?? 'id', `${where} responseIdProperty`),
    idempotencyKey: settings.idempotencyKey ?? sendsIdempotencyKeyByDefault(settings.method),
    ...(kind === 'uploadFile' ? { upload: compiledUpload(settings, parameters) } : {}),
  };
}

/** CS2.6: an upload sends its file in a body, through the one parameter that is exactly {FILE_DATA}. */
function compiledUpload(settings: CrmEndpointSettings, parameters: ReadonlyArray<readonly [string, RequestParameter]>): CompiledUpload & { fileParameter: string } {
  if (settings.method === 'GET') throw new CrmTemplateError('endpoint uploadFile: a file is sent with POST, PUT or PATCH, not GET');
  const fileParameters = parameters
    .filter(([, parameter]) => parameter.kind === 'variable' && parameter.template.segments.length === 1 && parameter.template.variables[0] === 'FILE_DATA')
    .map(([key]) => key);
  const upload = compileUpload(settings.upload ?? { form: 'base64', addComment: false }, fileParameters);
  return { ...upload, fileParameter: fileParameters[0] ?? '' };
}

/** Find endpoints search with phone numbers; the others store them (CS1.2 "automatic"). */
export function purposeOf(kind: CrmEndpointKind): 'search' | 'create' {
  return kind.startsWith('find') ? 'search' : 'create';
}

/**
 * The variables an endpoint's URL and variable parameters use: without them the request is not the
 * one meant. (A function's terms are not among them: a term without value is dropped by design.)
 */
export function requiredVariablesOf(endpoint: CompiledEndpoint): Set<CrmVariable> {
  const used = new Set<CrmVariable>(endpoint.url.variables);
  for (const [, parameter] of endpoint.parameters) {
    if (parameter.kind === 'variable') for (const variable of parameter.template.variables) used.add(variable);
  }
  return used;
}
