import { Injectable } from '@nestjs/common';
import { findOutboundError, OutboundHttpClient, type OutboundResponse } from '@switchboard/outbound-http';
import { OAuthFailure } from '../oauth/oauth-failure';
import type { CrmConnection } from './crm-connection';
import type { CompiledEndpoint, CrmEndpointKind } from './crm-endpoint';
import { buildCrmRequest, type CrmRequest, renderEndpoint } from './crm-request';
import { attachmentUrlOf, multipartBody, type UploadFile } from './crm-upload';
import type { SessionValues } from './crm-variables';
import { CustomCrmSettingsService } from './crm-settings.service';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key';
import { textAtLocation, valueAtLocation } from './response-location';

/** One endpoint call's outcome (CS2): the request as sent (secrets redacted) and what came back. */
export type CrmCallResult =
  | { outcome: 'ok'; request: CrmRequest; status: number; data: unknown; id?: string }
  /** 404, or a find whose answer has nothing at the response data location. */
  | { outcome: 'not_found'; request: CrmRequest; status: number }
  /** Another status, a refused address or redirect, a timeout, a network error, an answer that is not JSON. */
  | { outcome: 'failed'; request: CrmRequest; status?: number; error: string; retryAfter?: string };

export const REDACTED = '<redacted>';

/**
 * Calls a tenant's configured CRM endpoints (CS2): renders the request for the session (CS3), adds
 * the tenant's authentication (CS1.1), sends it through the SSRF-guarded client (P2.5) within the
 * tenant's timeout (CS1.3), and extracts the object at the response data location and its id.
 */
@Injectable()
export class CrmEngineService {
  constructor(
    private readonly settings: CustomCrmSettingsService,
    private readonly http: OutboundHttpClient,
  ) {}

  async call(tenantId: string, kind: CrmEndpointKind, values: SessionValues): Promise<CrmCallResult> {
    return this.callWith(await this.settings.connectionFor(tenantId), kind, values);
  }

  /** The request an endpoint would send for a session, authentication redacted (for the dry run and the call log). */
  requestFor(connection: CrmConnection, kind: CrmEndpointKind, values: SessionValues): CrmRequest {
    return redacted(buildCrmRequest(this.endpointOf(connection, kind), values, connection.phoneFormat), connection);
  }

  /** `idempotencyKey`: sent as the Idempotency-Key header when the endpoint sends one (a session step's calls). */
  async callWith(connection: CrmConnection, kind: CrmEndpointKind, values: SessionValues, idempotencyKey?: string): Promise<CrmCallResult> {
    const endpoint = this.endpointOf(connection, kind);
    const request = withIdempotencyKey(endpoint, buildCrmRequest(endpoint, values, connection.phoneFormat), idempotencyKey);
    return this.exchange(connection, endpoint, request, redacted(request, connection));
  }

  /**
   * CS2.6: uploads a file to the record with the uploadFile endpoint, as base64 in the JSON body or as a
   * multipart form; the attachment id is the object's id at the response data location, the attachment
   * URL built from the template or read from the answer. The request shown names the file, not its bytes.
   */
  async uploadWith(connection: CrmConnection, values: SessionValues, file: UploadFile, idempotencyKey?: string): Promise<CrmCallResult & { attachmentUrl?: string }> {
    const endpoint = this.endpointOf(connection, 'uploadFile');
    const upload = endpoint.upload;
    if (!upload) throw new EndpointNotConfigured('uploadFile');
    let request: CrmRequest & { payload?: Buffer };
    const withFile: SessionValues = { ...values, FILE_NAME: file.name, FILE_CONTENT_TYPE: file.contentType };
    if (upload.form === 'base64') {
      request = buildCrmRequest(endpoint, { ...withFile, FILE_DATA: file.bytes.toString('base64') }, connection.phoneFormat);
    } else {
      const { url, parameters } = renderEndpoint(endpoint, withFile, connection.phoneFormat);
      const form = await multipartBody(parameters, upload.fileParameter, file);
      request = { method: endpoint.method, url, headers: { accept: 'application/json', 'content-type': form.contentType }, payload: form.body };
    }
    request = withIdempotencyKey(endpoint, request, idempotencyKey);
    const { payload: _bytes, ...visible } = request;
    const shown = { ...redacted(visible, connection), body: `<${upload.form} file ${file.name}, ${file.bytes.length} bytes>` };
    const result = await this.exchange(connection, endpoint, request, shown);
    if (result.outcome !== 'ok') return result;
    const attachmentUrl = attachmentUrlOf(upload, result.data, { RECORD_ID: values.RECORD_ID ?? '', ATTACHMENT_ID: result.id, ACCOUNT_ID: values.ACCOUNT_ID });
    return { ...result, ...(attachmentUrl === undefined ? {} : { attachmentUrl }) };
  }

  private async exchange(connection: CrmConnection, endpoint: CompiledEndpoint, request: CrmRequest & { payload?: Buffer }, shown: CrmRequest): Promise<CrmCallResult> {
    const kind = endpoint.kind;
    let response: OutboundResponse;
    try {
      response = await this.send(connection, request);
      // An OAuth token the CRM no longer takes (revoked, expired early) is replaced once.
      if (response.status === 401 && connection.bearer) {
        connection.bearer.invalidate();
        response = await this.send(connection, request);
      }
    } catch (error) {
      if (error instanceof OAuthFailure) return { outcome: 'failed', request: shown, error: `oauth ${error.kind}: ${error.message}`, ...(error.retryAfterSeconds !== undefined ? { retryAfter: String(error.retryAfterSeconds) } : {}) };
      const outbound = findOutboundError(error);
      if (!outbound) throw error;
      return { outcome: 'failed', request: shown, error: `${outbound.kind}: ${outbound.message}` };
    }
    if (response.status === 404) return { outcome: 'not_found', request: shown, status: 404 };
    if (response.status < 200 || response.status >= 300) {
      const retryAfter = response.headers['retry-after'];
      return { outcome: 'failed', request: shown, status: response.status, error: `the CRM answered ${response.status}`, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
    }
    let answer: unknown;
    try {
      answer = response.body.length === 0 ? undefined : response.json();
    } catch {
      return { outcome: 'failed', request: shown, status: response.status, error: `the CRM answered ${response.status} with a body that is not JSON` };
    }
    const data = valueAtLocation(answer, endpoint.responseLocation);
    if (data === undefined) {
      return kind.startsWith('find') ? { outcome: 'not_found', request: shown, status: response.status } : { outcome: 'ok', request: shown, status: response.status, data: answer };
    }
    const id = textAtLocation(data, endpoint.responseIdLocation);
    return { outcome: 'ok', request: shown, status: response.status, data, ...(id === undefined ? {} : { id }) };
  }

  private async send(connection: CrmConnection, request: CrmRequest & { payload?: Buffer }): Promise<OutboundResponse> {
    const auth = connection.bearer ? { authorization: `Bearer ${await connection.bearer.token()}` } : connection.authHeaders;
    return this.http.request({ url: request.url, method: request.method, headers: { ...request.headers, ...auth }, body: request.payload ?? request.body, timeoutMs: connection.timeoutMs });
  }

  private endpointOf(connection: CrmConnection, kind: CrmEndpointKind) {
    const endpoint = connection.endpoints[kind];
    if (!endpoint) throw new EndpointNotConfigured(kind);
    return endpoint;
  }
}

export class EndpointNotConfigured extends Error {
  constructor(readonly kind: CrmEndpointKind) {
    super(`the endpoint ${kind} is not configured`);
    this.name = 'EndpointNotConfigured';
  }
}

function withIdempotencyKey<R extends CrmRequest>(endpoint: CompiledEndpoint, request: R, key: string | undefined): R {
  return key !== undefined && endpoint.idempotencyKey ? { ...request, headers: { ...request.headers, [IDEMPOTENCY_KEY_HEADER]: key } } : request;
}

/** The request with the authentication headers' values replaced, as it may be shown or stored. */
function redacted(request: CrmRequest, connection: CrmConnection): CrmRequest {
  const headers = { ...request.headers };
  for (const name of Object.keys(connection.authHeaders)) headers[name] = REDACTED;
  if (connection.bearer) headers['authorization'] = REDACTED;
  return { ...request, headers };
}
