import { type CompiledEndpoint, type CrmMethod, purposeOf } from './crm-endpoint';
import type { SessionValues } from './crm-variables';
import type { PhoneFormat } from './phone-format';
import { resolveRequestParameter } from './request-parameter';
import { renderTemplate } from './template';
import { CrmValueMissing } from './template-error';
import { variableLookup } from './variable-values';

/** The HTTP request an endpoint makes for one session, before authentication is added. */
export interface CrmRequest {
  method: CrmMethod;
  url: string;
  headers: Record<string, string>;
  /** JSON text for POST/PUT/PATCH. */
  body?: string;
}

/**
 * Renders an endpoint for a session (CS2.1, CS3): URL variables percent-encoded, parameters resolved
 * (a function without value leaves its parameter out), GET parameters in the query string, others in
 * the JSON body in the endpoint's format. A URL variable without a value is a CrmValueMissing.
 */
export function buildCrmRequest(endpoint: CompiledEndpoint, values: SessionValues, phoneFormat: PhoneFormat): CrmRequest {
  const { url, parameters } = renderEndpoint(endpoint, values, phoneFormat);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (endpoint.method === 'GET') return { method: 'GET', url: withQuery(url, parameters), headers };
  return { method: endpoint.method, url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(bodyOf(endpoint, parameters)) };
}

/** The endpoint's URL (variables percent-encoded) and its resolved parameters, for this session. */
export function renderEndpoint(endpoint: CompiledEndpoint, values: SessionValues, phoneFormat: PhoneFormat): { url: string; parameters: Record<string, string | number | boolean> } {
  const valueOf = variableLookup(values, phoneFormat, purposeOf(endpoint.kind));
  const rendered = renderTemplate(endpoint.url, valueOf, encodeURIComponent);
  const missing = rendered.missing[0];
  if (missing) throw new CrmValueMissing(missing, `the URL of endpoint ${endpoint.kind}`);
  const parameters: Record<string, string | number | boolean> = {};
  for (const [key, parameter] of endpoint.parameters) {
    const value = resolveRequestParameter(parameter, valueOf);
    if (value !== undefined) parameters[key] = value;
  }
  return { url: rendered.text, parameters };
}

function bodyOf(endpoint: CompiledEndpoint, parameters: Record<string, unknown>): unknown {
  const format = endpoint.bodyFormat;
  if (format.type === 'properties') return parameters;
  return { [format.containerName]: format.containerType === 'map' ? parameters : [parameters] };
}

function withQuery(url: string, parameters: Record<string, string | number | boolean>): string {
  const query = Object.entries(parameters)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  if (query === '') return url;
  const [beforeFragment = '', fragment] = url.split('#', 2);
  const joined = `${beforeFragment}${beforeFragment.includes('?') ? '&' : '?'}${query}`;
  return fragment === undefined ? joined : `${joined}#${fragment}`;
}
