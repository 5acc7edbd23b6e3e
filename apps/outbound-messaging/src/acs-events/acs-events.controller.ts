import { Controller, ForbiddenException, HttpCode, HttpException, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { E164_EVENT_NUMBER } from '@switchboard/contracts';
import { Public, type RequestWithRawBody } from '@switchboard/service-kit';
import { lowerCaseGuid, parseNamed } from '@switchboard/validation';
import { ChannelsService } from '../channels/channels.service';
import { type ReportOutcome, DeliveryReportsService } from '../delivery-reports/delivery-reports.service';
import { readAcsEventGridRequest } from '../providers/acs/acs-event-grid';
import { MessagingProviderFactory } from '../providers/provider-factory';
import { RepliesService } from '../replies/replies.service';

const guid = lowerCaseGuid();
export const ACS_EVENTS_PATH = 'outbound/webhooks/acs/events';

type InboundOutcome = 'recorded' | 'duplicate' | 'refused';
export type AcsEventsAnswer = { validationResponse: string } | { deliveryReports: ReportOutcome[]; inboundMessages: InboundOutcome[] };

/**
 * Azure Communication Services' SMS events through an Event Grid subscription of a channel (OM3.3, OM5.1):
 * the subscription's endpoint is `…/outbound/webhooks/acs/events/<channelId>?code=<the channel's eventGridSecret>`.
 * Event Grid signs nothing; the secret in the URL is its documented check. Events that name nothing we know
 * still answer 200 (each with its outcome): any other answer makes Event Grid retry or dead-letter the batch.
 */
@Controller()
export class AcsEventsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly providers: MessagingProviderFactory,
    private readonly reports: DeliveryReportsService,
    private readonly replies: RepliesService,
  ) {}

  @Post(`${ACS_EVENTS_PATH}/:channelId`)
  @Public()
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async events(@Param('channelId') channelIdText: string, @Req() request: RequestWithRawBody): Promise<AcsEventsAnswer> {
    const channelId = parseNamed('channelId', guid, channelIdText);
    const found = await this.channels.webhookChannel(channelId, (channel) => this.providers.eventGridSecret(channel));
    // Unknown channel and channel without a subscription secret answer alike: nothing tells a prober which ids exist.
    if (!found) throw new ForbiddenException({ code: 'SignatureInvalid', message: 'This Event Grid delivery cannot be verified' });
    const { channel: row, secret } = found;
    const reading = readAcsEventGridRequest(secret, { url: request.url, headers: request.headers, body: request.rawBody?.toString('utf8') ?? '' });
    if (reading.outcome === 'validation') return { validationResponse: reading.validationResponse };
    if (reading.outcome === 'rejected') throw new HttpException({ code: reading.status === 400 ? 'BadEventGridDelivery' : 'SignatureInvalid', message: reading.reason }, reading.status);
    if (reading.outcome === 'ignored') return { deliveryReports: [], inboundMessages: [] };
    const deliveryReports: ReportOutcome[] = [];
    for (const { clientReference, ...report } of reading.value.deliveryReports) {
      // Our Tag is the message id; anything else there is not ours to look up by.
      const messageId = clientReference && guid.safeParse(clientReference).success ? clientReference : undefined;
      deliveryReports.push(await this.reports.apply(channelId, report, messageId));
    }
    const inboundMessages: InboundOutcome[] = [];
    for (const inbound of reading.value.inboundMessages) {
      if (!E164_EVENT_NUMBER.test(inbound.from)) inboundMessages.push('refused');
      else inboundMessages.push((await this.replies.receive(row, inbound)).outcome);
    }
    return { deliveryReports, inboundMessages };
  }
}
