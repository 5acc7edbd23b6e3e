import { OutboundHttpClient } from '@switchboard/outbound-http';
import { OAuthClient } from '../oauth/oauth-client';
import { OAuthFailure } from '../oauth/oauth-failure';
import { TokenCache } from '../oauth/token-cache';
import type { DynamicsConnection } from './dynamics-connection';
import { DataDipFailure } from './data-dip-failure';

/**
 * OAuth 2.0 client-credentials tokens from the tenant's Microsoft Entra token endpoint, scope
 * `<organization>/.default` (the shared OAuth client, secret in the form as Entra documents). A token
 * is reused until shortly before it expires; when several data dips need a new one at once, one
 * request is made and all of them wait for it (each only as long as its own budget allows).
 */
export class EntraTokenCache {
  private readonly oauth: OAuthClient;
  private readonly tokens = new TokenCache();

  constructor(http: OutboundHttpClient) {
    this.oauth = new OAuthClient(http);
  }

  async tokenFor(connection: DynamicsConnection, signal: AbortSignal): Promise<string> {
    const request = this.tokens.get(keyOf(connection), () => this.requestToken(connection));
    return untilAborted(request, signal);
  }

  /** Forgets the token (Dataverse refused it) so that the next call asks for a new one. */
  invalidate(connection: DynamicsConnection): void {
    this.tokens.invalidate(keyOf(connection));
  }

  private async requestToken(connection: DynamicsConnection) {
    const registration = { tokenUrl: connection.tokenUrl, clientId: connection.clientId, clientSecret: connection.clientSecret, clientAuthMethod: 'client_secret_post' as const };
    try {
      return await this.oauth.clientCredentials(registration, { scope: `${connection.organizationUrl}/.default` });
    } catch (error) {
      if (!(error instanceof OAuthFailure)) throw error;
      const what = `the Entra token endpoint: ${error.message}`;
      if (error.kind === 'throttled') throw new DataDipFailure('crm_throttled', what, error.retryAfterSeconds);
      throw new DataDipFailure(error.kind === 'timeout' ? 'crm_timeout' : 'crm_error', what);
    }
  }
}

function keyOf(connection: DynamicsConnection): string {
  return `${connection.tenantId}:${connection.version}`;
}

/** The promise's outcome, or a crm_timeout once the signal aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DataDipFailure('crm_timeout', 'the answer budget ran out waiting for a token'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DataDipFailure('crm_timeout', 'the answer budget ran out waiting for a token'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
