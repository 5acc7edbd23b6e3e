import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type HelpAnsweringChannel, helpAnswer } from '../consent/help-answer';
import type { KeywordMatch } from '../consent/keywords';
import type { OutboundMessagingTx } from '../database/prisma.service';
import { countSmsSegments } from '../templates/sms-segments';

export interface HelpRequest {
  tenantId: string;
  channelId: string;
  channelType: string;
  /** The customer who wrote HELP, who gets the answer. */
  customer: string;
  inboundMessageId: string;
  at: Date;
}

/**
 * Answers a HELP keyword (OM5.2) with an outbound message from the channel the customer wrote to, queued for
 * the sender like any other (same provider, same sender → customer pair, tracked, retried). It is queued even
 * for a number on the suppression list: carriers require an answer to HELP whatever the opt-out state
 * (CTIA), and Twilio answers HELP regardless too. At most one answer per inbound message (a unique index).
 */
@Injectable()
export class HelpAnswersRepository {
  async queue(tx: OutboundMessagingTx, channel: HelpAnsweringChannel, keyword: KeywordMatch, request: HelpRequest): Promise<string> {
    const { text, locale } = helpAnswer(channel, keyword);
    const id = randomUUID();
    await tx.outboundMessage.create({
      data: {
        id,
        tenantId: request.tenantId,
        requestId: request.inboundMessageId,
        contactIndex: 0,
        configurationId: null,
        inAnswerTo: request.inboundMessageId,
        channelId: request.channelId,
        channelType: request.channelType,
        toNumber: request.customer,
        locale,
        body: text,
        segments: request.channelType === 'sms' ? countSmsSegments(text).segments : null,
        status: 'queued',
        dueAt: request.at,
        inTimeline: false,
        customerName: '',
        caseName: '',
        createdAt: request.at,
        updatedAt: request.at,
      },
    });
    return id;
  }
}
