import { defineJobQueue } from '@switchboard/jobs';
import { z } from 'zod';
import { sessionKeyPrefix } from '../session-flows/session-step-queue';

const fileUploadPayload = z.object({
  sessionId: z.string().min(1).max(200),
  /** The file's row in crm_file_upload (its bytes are read from the download link kept there, not from the job). */
  fileName: z.string().min(1).max(255),
});

export type FileUploadPayload = z.infer<typeof fileUploadPayload>;

/** CS2.6: one durable job per file storage-export handed over, retried per the tenant's CRM policy (CS2.8). */
export const fileUploadQueue = defineJobQueue('crm-sync.file-upload', fileUploadPayload);

/** `<tenant>/<session>/upload/<file name>`: one upload per file of a session, however often it is handed over. */
export function fileUploadKey(tenantId: string, sessionId: string, fileName: string): string {
  return `${sessionKeyPrefix(tenantId, sessionId)}upload/${fileName}`;
}
