import type { IssuedToken } from './oauth-client';

/** A token is replaced this long before it expires, at most a tenth of its lifetime. */
const REFRESH_MARGIN_SECONDS = 300;
/** How long a token whose server did not say (no expires_in) is reused. */
const UNSTATED_LIFETIME_SECONDS = 300;

interface CachedToken {
  accessToken: string;
  refreshAt: number;
}

/**
 * Access tokens by key (tenant and settings version), reused until shortly before they expire. When
 * many callers need a new one at the same moment, one token request is made and all of them await it
 * (single flight); a failed request is not cached, so the next caller asks again.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cached token, or the one `issue` gets (shared by every caller waiting for this key). */
  get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && this.now() < cached.refreshAt) return Promise.resolve(cached.accessToken);
    let request = this.pending.get(key);
    if (!request) {
      request = this.issue(key, issue).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
      // A caller that stops waiting (its own budget) must not leave an unhandled rejection behind.
      request.catch(() => undefined);
    }
    return request;
  }

  /** Forgets a token the resource server refused, so that the next call gets a new one. */
  invalidate(key: string): void {
    this.tokens.delete(key);
  }

  /** Forgets every token whose key starts with this prefix (a tenant's settings changed). */
  invalidatePrefix(prefix: string): void {
    for (const key of this.tokens.keys()) if (key.startsWith(prefix)) this.tokens.delete(key);
  }

  private async issue(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const token = await issue();
    const lifetime = token.expiresInSeconds ?? UNSTATED_LIFETIME_SECONDS;
    this.tokens.set(key, { accessToken: token.accessToken, refreshAt: this.now() + (lifetime - Math.min(REFRESH_MARGIN_SECONDS, lifetime / 10)) * 1000 });
    return token.accessToken;
  }
}
