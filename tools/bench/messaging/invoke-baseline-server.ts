/**
 * bench:messaging's accepting baseline (issue 11): a bare node:http server doing what an invoke request of 100
 * contacts needs at the least: JSON.parse of the body, the text of each contact's message, and one batched INSERT
 * of every contact's row into a copy of outbound_message, with `pg` and the service's pool size; it answers the
 * invoke API's response shape. No authentication, no validation, no consent lookup, no outbox, no framework.
 * Started by baseline-process.ts:
 *
 *   BASELINE_DATABASE_URL=... BASELINE_TABLE=bench_baseline.outbound_message BASELINE_TENANT_ID=... \
 *   BASELINE_POOL_SIZE=10 node --import tsx tools/bench/messaging/invoke-baseline-server.ts
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { baselinePool, baselineTable, readBody, requiredEnv, sendJson, serveBaseline } from '../bare-http';

const INVOKE_API_PATH = '/api/data/v9.2/msdyn_InvokeOutboundAPI';

const table = baselineTable();
const tenantId = requiredEnv('BASELINE_TENANT_ID');
const channelId = randomUUID();
const pool = baselinePool();

const INSERT = `INSERT INTO ${table} (id, tenant_id, request_id, contact_index, configuration_id, channel_id, channel_type, to_number,
  body, status, due_at, in_timeline, customer_name, case_name, attempts, created_at, updated_at)
  SELECT m.id, $1, $2::uuid, m.contact_index, $3::uuid, $4::uuid, 'sms', m.to_number, m.body, 'queued', $5, false, m.customer_name, m.case_name, 0, $5, $5
    FROM unnest($6::uuid[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[]) AS m(id, contact_index, to_number, body, customer_name, case_name)`;

interface Contact {
  tocontactid?: unknown;
  CustomerName?: unknown;
  CaseName?: unknown;
}

async function invoke(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const raw = await readBody(request);
  let body: { msdyn_ocoutboundconfigurationid?: unknown; ContactList?: unknown };
  try {
    body = JSON.parse(raw.toString('utf8')) as typeof body;
  } catch {
    return sendJson(response, 400, { error: { code: 'InvalidJson', message: 'The request body is not valid JSON' } });
  }
  const contacts = body.ContactList;
  if (typeof body.msdyn_ocoutboundconfigurationid !== 'string' || !Array.isArray(contacts) || contacts.length === 0 || contacts.length > 100) {
    return sendJson(response, 400, { error: { code: 'ValidationFailed', message: 'msdyn_ocoutboundconfigurationid and 1–100 contacts are required' } });
  }
  const entries = (contacts as Contact[]).map((contact) => ({ id: randomUUID(), to: String(contact.tocontactid), customer: String(contact.CustomerName), caseName: String(contact.CaseName) }));
  const requestId = randomUUID();
  await pool.query(INSERT, [
    tenantId,
    requestId,
    body.msdyn_ocoutboundconfigurationid,
    channelId,
    new Date(),
    entries.map((entry) => entry.id),
    entries.map((_, index) => index),
    entries.map((entry) => entry.to),
    entries.map((entry) => `Hi ${entry.customer}, your case ${entry.caseName} was created.`),
    entries.map((entry) => entry.customer),
    entries.map((entry) => entry.caseName),
  ]);
  sendJson(response, 200, {
    requestId,
    accepted: entries.length,
    skipped: 0,
    rejected: 0,
    ContactList: entries.map((entry, index) => ({ index, tocontactid: entry.to, status: 'accepted', messageId: entry.id })),
  });
}

serveBaseline(pool, INVOKE_API_PATH, invoke);
