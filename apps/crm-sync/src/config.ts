import { AllowListError, parseAllowList } from '@switchboard/outbound-http';
import { baseServiceEnv, envEncryptionKey, envInt, envList, serviceConfigClass } from '@switchboard/service-kit';
import { z } from 'zod';

export const crmSyncEnv = baseServiceEnv.extend({
  SECRETS_ENCRYPTION_KEY: envEncryptionKey(),
  // Addresses (CIDRs) and exact host names that admin-configured URLs may reach although they are
  // loopback, private or link-local (P2.5): e.g. a CRM inside the company network, or local simulators.
  OUTBOUND_HTTP_ALLOW: envList()
    .refine(
      (entries) => {
        try {
          parseAllowList(entries);
          return true;
        } catch (error) {
          if (error instanceof AllowListError) return false;
          throw error;
        }
      },
      'must be a comma-separated list of CIDR ranges, addresses or host names',
    )
    .default([]),
  // Largest answer read from a CRM or token endpoint.
  OUTBOUND_HTTP_MAX_RESPONSE_BYTES: envInt({ min: 1024, max: 100 * 1024 * 1024 }).default(1024 * 1024),
  // The deployment's SMTP server for session outcome e-mails (CS6.2): smtp://user:password@host:587 (STARTTLS when
  // offered) or smtps://…:465. Unset: outcome e-mails are not sent (their jobs fail, saying so).
  // Sensitive: it carries the SMTP password, so it is never echoed and lives in the deployment's secret store.
  OUTCOME_EMAIL_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).meta({ sensitive: true }).optional(),
  // The no-reply sender of outcome e-mails.
  OUTCOME_EMAIL_FROM: z.string().min(3).max(320).default('Switchboard <no-reply@switchboard.invalid>'),
  // How long after a session ends its outcome e-mail goes out (CS6.2: about 15 minutes).
  OUTCOME_EMAIL_DELAY_SEC: envInt({ min: 0, max: 7 * 24 * 3600 }).default(15 * 60),
  // CS2.6: the largest session file uploaded to a CRM (its bytes are held in memory, base64 adds a third).
  CRM_UPLOAD_MAX_BYTES: envInt({ min: 1024, max: 200 * 1024 * 1024 }).default(25 * 1024 * 1024),
  // CS2.6: time to read a handed-over file from its download link.
  CRM_UPLOAD_DOWNLOAD_TIMEOUT_MS: envInt({ min: 1_000, max: 600_000 }).default(60_000),
  // How long session data (flow variables, call log, handed-over files, outcome e-mails, agent-event log) is kept.
  CRM_SESSION_DATA_RETENTION_DAYS: envInt({ min: 1, max: 3650 }).default(30),
  // How far a CRM webhook's signature timestamp may be from now (replay window, P1.4).
  CRM_WEBHOOK_SIGNATURE_TOLERANCE_SEC: envInt({ min: 1, max: 3600 }).default(300),
});

/** The service's validated environment, injected by class. */
export class CrmSyncConfig extends serviceConfigClass(crmSyncEnv) {}
