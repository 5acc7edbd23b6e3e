/** Placeholder Entra ID uses in multi-tenant issuer values, e.g. `https://login.microsoftonline.com/{tenantid}/v2.0`. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * The configured issuers as exact values for this token: a `{tenantid}` template is filled with
 * the token's own `tid`, so a tenant's token is only accepted from that tenant's issuer.
 */
export function expectedIssuers(
  configured: readonly string[],
  tid: unknown,
): string[] {
  return configured.flatMap((issuer) => {
    if (!issuer.includes(TENANT_PLACEHOLDER)) return [issuer];
    return typeof tid === 'string' && tid.length > 0
      ? [issuer.split(TENANT_PLACEHOLDER).join(tid)]
      : [];
  });
}
