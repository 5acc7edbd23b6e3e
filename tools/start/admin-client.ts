import { mintDevToken, type Role } from '@switchboard/auth/dev-tokens';

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls of one tenant's administrator (or agent) to the stack's services, with development tokens. */
export interface TenantClient {
  call<T = Record<string, unknown>>(service: string, method: string, path: string, body?: unknown, roles?: Role[]): Promise<JsonAnswer<T>>;
  /** Fails naming the call and its answer unless the status is `status`. */
  expect<T = Record<string, unknown>>(status: number, service: string, method: string, path: string, body?: unknown, roles?: Role[]): Promise<T>;
  token(roles: Role[], subject?: string, ttlSec?: number): Promise<string>;
}

const REQUEST_TIMEOUT_MS = 30_000;

export function tenantClient(options: { services: Record<string, string>; tenantId: string; devKeysDir: string; defaultRoles: Role[] }): TenantClient {
  const token = (roles: Role[], subject?: string, ttlSec?: number) => mintDevToken({ tenantId: options.tenantId, roles, keysDir: options.devKeysDir, subject, ttlSec });
  const call = async <T>(service: string, method: string, path: string, body?: unknown, roles = options.defaultRoles): Promise<JsonAnswer<T>> => {
    const base = options.services[service];
    if (!base) throw new Error(`${service} is not part of this stack`);
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token(roles)}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? parseJson(text) : {}) as T };
  };
  return {
    call,
    token,
    async expect<T>(status: number, service: string, method: string, path: string, body?: unknown, roles?: Role[]): Promise<T> {
      const answer = await call<T>(service, method, path, body, roles);
      if (answer.status !== status) throw new Error(`${method} ${service} ${path} answered ${answer.status} (expected ${status}): ${JSON.stringify(answer.body).slice(0, 500)}`);
      return answer.body;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}
