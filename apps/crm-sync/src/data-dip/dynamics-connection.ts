/** What a data dip needs of a tenant's settings, the client secret opened. Never logged or returned. */
export interface DynamicsConnection {
  tenantId: string;
  /** https://contoso.crm.dynamics.com (no trailing slash) */
  organizationUrl: string;
  /** {authority}/{entra tenant}/oauth2/v2.0/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  answerBudgetMs: number;
  agentQueue: string;
  /** Changes whenever the settings do, so that a token of old credentials is not reused. */
  version: number;
}
