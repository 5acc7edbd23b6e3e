import { Role } from '@switchboard/auth';
import { expect } from 'vitest';
import type { CrmSyncTestApp } from './crm-sync-test-app';

/** GET and PUT of a per-tenant, Administrator-only settings resource, as a test calls them. */
export interface SettingsApi {
  put(body: unknown, tenantId?: string, roles?: Role[]): Promise<Response>;
  get(tenantId?: string, roles?: Role[]): Promise<Response>;
  /** P1.1 P1.3: other roles get 403, no token 401, another tenant 404 with `notConfiguredCode`. */
  expectAdministratorOnlyPerTenant(valid: unknown, otherTenant: string, notConfiguredCode: string): Promise<void>;
}

export function settingsApi(app: () => CrmSyncTestApp, path: string, tenantId: string): SettingsApi {
  const api: SettingsApi = {
    put: (body, tenant = tenantId, roles = [Role.Administrator]) => app().call(path, { method: 'PUT', tenantId: tenant, roles, body: JSON.stringify(body) }),
    get: (tenant = tenantId, roles = [Role.Administrator]) => app().call(path, { method: 'GET', tenantId: tenant, roles }),
    async expectAdministratorOnlyPerTenant(valid, otherTenant, notConfiguredCode) {
      await api.put(valid);

      expect((await api.put(valid, tenantId, [Role.OmnichannelSupervisor])).status).toBe(403);
      expect((await api.get(tenantId, [Role.OmnichannelAgent])).status).toBe(403);
      expect((await fetch(`${app().url}${path}`)).status).toBe(401);
      const other = await api.get(otherTenant);
      expect(other.status).toBe(404);
      expect(((await other.json()) as { error: { code: string } }).error.code).toBe(notConfiguredCode);
    },
  };
  return api;
}
