import { randomUUID } from 'node:crypto';
import type { OutboxEntry } from '@switchboard/messaging';
import type { MessageEvents, MessageRef } from '../messages/message-events';
import type { AcceptedBatch, NewMessage } from '../messages/messages.repository';
import { type ConfigurationForContacts, type ContactDecision, decideContact } from './contact-entry';
import type { ContactResult } from './invoke.schema';

/** A configuration as a batch of contacts needs it: the rules of OM3.1 and where its messages go. */
export interface ConfigurationForBatch extends ConfigurationForContacts {
  channelId: string;
}

/** The numbers among these that are suppressed at `at` (an opt-out, a voice do-not-call listing), each with the reason. */
export type SuppressionCheck = (numbers: string[], at: Date) => Promise<ReadonlyMap<string, string>>;

export interface PlannedBatch {
  batch: AcceptedBatch;
  decisions: ContactDecision[];
  /** One line per entry, as the invoke API answers them (OM3.2). */
  results: ContactResult[];
}

/**
 * Judges a ContactList (OM3.1) and turns its accepted and skipped entries into messages: what the invoke
 * API, an automated rule (OM4.1) and a scheduled send (OM4.3) all store in one statement.
 */
export async function planBatch(
  scope: { tenantId: string; requestId: string; at: Date },
  configuration: ConfigurationForBatch,
  entries: readonly unknown[],
  suppressedAmong: SuppressionCheck,
  holdUntil?: (to: string) => Date,
): Promise<PlannedBatch> {
  const judged = entries.map((entry) => decideContact(entry, configuration));
  const suppressed = await suppressedAmong([...new Set(judged.flatMap((decision) => (decision.kind === 'queue' ? [decision.to] : [])))], scope.at);
  // OM5.2: a suppressed number is skipped with the reason, never sent.
  const decisions = judged.map((decision): ContactDecision => {
    const reason = decision.kind === 'queue' ? suppressed.get(decision.to) : undefined;
    return decision.kind === 'queue' && reason ? { kind: 'skip', contact: decision.contact, to: decision.to, reason } : decision;
  });
  const batch: AcceptedBatch = { ...scope, configurationId: configuration.id, channelId: configuration.channelId, channelType: configuration.channelType, inTimeline: configuration.showInTimeline, messages: [] };
  const results: ContactResult[] = decisions.map((decision, index) => {
    const tocontactid = (entries[index] as { tocontactid?: unknown } | null)?.tocontactid;
    if (decision.kind === 'reject') return { index, tocontactid, status: 'rejected', reason: decision.problems.map((problem) => problem.message).join('; ') };
    const message = newMessage(decision, index, holdUntil);
    batch.messages.push(message);
    return decision.kind === 'queue' ? { index, tocontactid, status: 'accepted', messageId: message.id } : { index, tocontactid, status: 'skipped', messageId: message.id, reason: decision.reason };
  });
  return { batch, decisions, results };
}

/** The MessageQueued / MessageSkipped events of a batch (OM5.4), written by the same statement as its messages. */
export function batchEvents(events: MessageEvents, batch: AcceptedBatch): OutboxEntry[] {
  return batch.messages.flatMap((message) => {
    const ref: MessageRef = { id: message.id, tenantId: batch.tenantId, configurationId: batch.configurationId, channelId: batch.channelId, channelType: batch.channelType, toNumber: message.toNumber };
    if (message.status === 'skipped') return events.skipped(ref, message.statusReason as string, batch.at);
    const timeline = message.entityRelationshipName === null ? undefined : { entityRelationshipName: message.entityRelationshipName, customerName: message.customerName, caseName: message.caseName, body: message.body as string };
    return events.queued(ref, batch.requestId, message.locale as string, batch.at, batch.inTimeline ? timeline : undefined);
  });
}

export function countResults(results: readonly ContactResult[]): { accepted: number; skipped: number; rejected: number } {
  const count = (status: ContactResult['status']) => results.filter((result) => result.status === status).length;
  return { accepted: count('accepted'), skipped: count('skipped'), rejected: count('rejected') };
}

function newMessage(decision: Exclude<ContactDecision, { kind: 'reject' }>, contactIndex: number, holdUntil?: (to: string) => Date): NewMessage {
  const { contact } = decision;
  const rendered = decision.kind === 'queue' ? decision.rendered : undefined;
  return {
    id: randomUUID(),
    contactIndex,
    toNumber: decision.to,
    locale: rendered?.locale ?? null,
    body: rendered?.body ?? null,
    whatsappTemplate: rendered?.whatsappTemplate ?? null,
    segments: rendered?.sms?.segments ?? null,
    status: decision.kind === 'queue' ? 'queued' : 'skipped',
    statusReason: decision.kind === 'skip' ? decision.reason : null,
    entityRelationshipName: contact.entityrelationshipname ?? null,
    customerName: contact.CustomerName,
    caseName: contact.CaseName,
    dueAt: decision.kind === 'queue' && holdUntil ? holdUntil(decision.to) : null,
  };
}
