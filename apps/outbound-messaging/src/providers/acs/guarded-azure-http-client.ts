import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { OutboundHttpClient, OutboundMethod } from '@switchboard/outbound-http';

/**
 * The Azure SDK's pluggable `httpClient` on our SSRF-guarded undici client: the ACS endpoint comes from
 * configuration, so every connection is checked, bounded in time and size, and never redirected.
 * String bodies only (all the SMS SDK sends).
 */
export class GuardedAzureHttpClient implements HttpClient {
  constructor(private readonly http: OutboundHttpClient) {}

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (request.body !== undefined && request.body !== null && typeof request.body !== 'string') {
      throw new TypeError('GuardedAzureHttpClient sends string bodies only');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) if (name.toLowerCase() !== 'host') headers[name] = value;
    const signal = request.abortSignal as AbortSignal | undefined;
    const response = await this.http.request({
      url: request.url,
      method: request.method as OutboundMethod,
      headers,
      body: request.body ?? undefined,
      ...(request.timeout > 0 ? { timeoutMs: request.timeout } : {}),
      ...(signal ? { signal } : {}),
    });
    const responseHeaders = createHttpHeaders();
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    return { request, status: response.status, headers: responseHeaders, bodyAsText: response.text() };
  }
}
