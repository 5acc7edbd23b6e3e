import { Controller, ForbiddenException, HttpCode, HttpException, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { Clock } from '@switchboard/clock';
import { AcceptsBodies, Public, StreamedBody } from '@switchboard/service-kit';
import { closed, lowerCaseGuid, parseNamed, ZodQuery } from '@switchboard/validation';
import type { FastifyRequest } from 'fastify';
import { ChannelsService } from '../channels/channels.service';
import { OutboundMessagingConfig } from '../config';
import { MessagingProviderFactory } from '../providers/provider-factory';
import { readTwilioStatusCallback } from '../providers/twilio/twilio-webhooks';
import { STATUS_CALLBACK_PATH } from '../sending/status-callbacks';
import { DeliveryReportsService } from './delivery-reports.service';

const FORM = 'application/x-www-form-urlencoded';
const guid = lowerCaseGuid();
const callbackQuery = closed({ messageId: lowerCaseGuid().optional() });

/**
 * Twilio's status callbacks (OM3.3): signed with the channel's auth token (X-Twilio-Signature over the
 * exact URL we gave and the form parameters), so the route is public and the signature is the check.
 */
@Controller()
export class TwilioStatusController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly providers: MessagingProviderFactory,
    private readonly reports: DeliveryReportsService,
    private readonly config: OutboundMessagingConfig,
    private readonly clock: Clock,
  ) {}

  @Post(`${STATUS_CALLBACK_PATH}/:channelId`)
  @Public()
  @HttpCode(200)
  @ApiExcludeEndpoint()
  @AcceptsBodies({ contentTypes: [FORM], limit: '64kb', refusal: `A Twilio status callback is ${FORM}` })
  async statusCallback(@Param('channelId') channelIdText: string, @ZodQuery(callbackQuery) query: { messageId?: string }, @Req() request: FastifyRequest & { body: unknown }): Promise<{ outcome: string }> {
    const channelId = parseNamed('channelId', guid, channelIdText);
    const found = await this.channels.webhookChannel(channelId, (channel) => this.providers.webhookAuthToken(channel));
    // Unknown channel and unsigned channel answer alike: nothing tells a prober which ids exist.
    if (!found) throw new ForbiddenException({ code: 'SignatureInvalid', message: 'This status callback cannot be verified' });
    const params = request.body instanceof StreamedBody ? Object.fromEntries(new URLSearchParams(await request.body.text())) : {};
    const url = `${(this.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '')}${request.url}`;
    const reading = readTwilioStatusCallback(found.secret, { url, signature: request.headers['x-twilio-signature'], params }, this.clock.now());
    if (reading.outcome === 'rejected') throw new HttpException({ code: reading.status === 400 ? 'BadCallback' : 'SignatureInvalid', message: reading.reason }, reading.status);
    if (reading.outcome === 'ignored') return { outcome: 'ignored' };
    const outcome = await this.reports.apply(channelId, reading.value, query.messageId);
    if (outcome === 'unknown') throw new NotFoundException({ code: 'MessageNotFound', message: 'No message of this channel matches the callback' });
    return { outcome };
  }
}
