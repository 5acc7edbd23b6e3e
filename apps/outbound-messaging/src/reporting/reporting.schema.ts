import { OutboundMessageStatuses } from '@switchboard/contracts';
import { closed, lowerCaseGuid, queryInteger } from '@switchboard/validation';
import { z } from 'zod';
import { CHANNEL_TYPES } from '../templates/template-rendering';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant such as 2026-12-02T00:00:00Z' }).transform((text) => new Date(text));

/** The filters of the reporting API (OM5.3): configuration, channel, status, creation time range [from, to). */
const filters = {
  configurationId: lowerCaseGuid().optional(),
  channelType: z.enum(CHANNEL_TYPES).optional(),
  from: instant.optional(),
  to: instant.optional(),
};

export const messageListQuery = closed({
  ...filters,
  status: z.enum(OutboundMessageStatuses).optional(),
  limit: queryInteger({ min: 1, max: 500 }).default(100),
  cursor: z.guid('must be a message id from nextCursor').optional(),
});
export type MessageListQuery = z.output<typeof messageListQuery>;

export const messageCountsQuery = closed(filters);
export type MessageCountsQuery = z.output<typeof messageCountsQuery>;

export const timelineQuery = closed({
  tocontactid: z.string().min(1).max(40),
  limit: queryInteger({ min: 1, max: 200 }).default(50),
});
export type TimelineQuery = z.output<typeof timelineQuery>;

/** A message as the reporting API shows it (OM3.3 tracking). */
export interface MessageView {
  id: string;
  requestId: string;
  /** Null for a HELP answer (OM5.2), which no configuration sends; `inAnswerTo` names the inbound message it answers. */
  configurationId: string | null;
  inAnswerTo: string | null;
  channelId: string;
  channelType: string;
  to: string;
  status: string;
  statusReason: string | null;
  locale: string | null;
  segments: number | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
}

/** A customer's reply to a message (OM5.1), shown with the message and on the timeline. */
export interface ReplyView {
  id: string;
  from: string;
  body: string;
  /** opt_out | opt_in | help when the whole reply was a keyword (OM5.2). */
  keywordAction: string | null;
  receivedAt: string;
}

/** One message with the customer's replies to it. */
export interface MessageDetail extends MessageView {
  replies: ReplyView[];
}

export interface MessageCounts {
  total: number;
  byStatus: Record<string, number>;
  /** One row per configuration, channel type and status with messages in the range (configuration null: HELP answers). */
  groups: { configurationId: string | null; channelType: string; status: string; count: number }[];
}

/** A timeline activity (OM2.2, OM5.3): a message of a configuration that shows in the customer's timeline. */
export interface TimelineActivity {
  messageId: string;
  configurationId: string;
  channelType: string;
  entityRelationshipName: string | null;
  customerName: string;
  caseName: string;
  body: string | null;
  status: string;
  createdAt: string;
  replies: ReplyView[];
}
