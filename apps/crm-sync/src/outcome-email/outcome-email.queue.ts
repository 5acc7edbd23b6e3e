import { defineJobQueue } from '@switchboard/jobs';
import { z } from 'zod';

/** One job per (tenant, session): its key is `<tenant>/<session>`, the tenant is the job's. */
export const outcomeEmailQueue = defineJobQueue('crm-sync.outcome-email', z.object({ sessionId: z.string().min(1).max(200) }));

export const outcomeEmailKey = (tenantId: string, sessionId: string) => `${tenantId}/${sessionId}`;
