import { closed, wholeNumber } from '@switchboard/validation';
import { z } from 'zod';

export const DYNAMICS_LIMITS = {
  answerBudgetMs: { min: 300, max: 10_000 },
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// An Entra directory is named by its GUID or one of its verified domains (contoso.onmicrosoft.com).
const DIRECTORY_DOMAIN = /^(?=.{4,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** An http(s) URL of a server's root: the organization or the Entra authority, no path, query or credentials. */
const rootUrl = z
  .string()
  .max(2048)
  .transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://contoso.crm.dynamics.com' });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: `must use https (or http), not ${url.protocol.replace(/:$/, '')}` });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials' });
    else if (url.pathname !== '/' || url.search || url.hash) ctx.addIssue({ code: 'custom', message: `must be the server's root URL, without a path or query (${url.origin})` });
    else return url.origin;
    return z.NEVER;
  });

/**
 * The body of `PUT /crm/dynamics/settings`. clientSecret is write-only: required the first time,
 * left out afterwards to keep the stored one.
 */
export const dynamicsSettingsSchema = closed({
  organizationUrl: rootUrl,
  authorityUrl: rootUrl.default('https://login.microsoftonline.com'),
  entraTenantId: z.string().max(253).refine((value) => GUID.test(value) || DIRECTORY_DOMAIN.test(value), 'must be the directory (tenant) id GUID or its domain name'),
  clientId: z.string().regex(GUID, 'must be the application (client) id GUID'),
  clientSecret: z.string().min(1).max(1024).optional(),
  answerBudgetMs: wholeNumber(DYNAMICS_LIMITS.answerBudgetMs).default(2_000),
  agentQueue: z.string().trim().min(1).max(200).default('Customer Service'),
});

export type DynamicsSettingsInput = z.output<typeof dynamicsSettingsSchema>;

export const dynamicsSettingsExample: z.input<typeof dynamicsSettingsSchema> = {
  organizationUrl: 'https://contoso.crm.dynamics.com',
  authorityUrl: 'https://login.microsoftonline.com',
  entraTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '51f81489-12ee-4a9e-aaae-a2591f45987d',
  clientSecret: 'the application secret from Entra',
  answerBudgetMs: 2_000,
  agentQueue: 'Customer Service',
};

/** What the API shows: every setting but the secret, of which only its presence. */
export interface DynamicsSettingsView {
  organizationUrl: string;
  authorityUrl: string;
  entraTenantId: string;
  clientId: string;
  clientSecretSet: true;
  answerBudgetMs: number;
  agentQueue: string;
  updatedAt: string;
}
