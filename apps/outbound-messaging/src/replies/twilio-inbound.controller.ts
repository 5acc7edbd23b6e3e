import { Controller, ForbiddenException, HttpCode, HttpException, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { Clock } from '@switchboard/clock';
import { E164_EVENT_NUMBER } from '@switchboard/contracts';
import { AcceptsBodies, Public, StreamedBody } from '@switchboard/service-kit';
import { lowerCaseGuid, parseNamed } from '@switchboard/validation';
import type { FastifyRequest } from 'fastify';
import { ChannelsService } from '../channels/channels.service';
import { OutboundMessagingConfig } from '../config';
import { MessagingProviderFactory } from '../providers/provider-factory';
import { readTwilioInbound } from '../providers/twilio/twilio-webhooks';
import { type ReplyOutcome, RepliesService } from './replies.service';

const FORM = 'application/x-www-form-urlencoded';
const guid = lowerCaseGuid();
export const TWILIO_INBOUND_PATH = 'outbound/webhooks/twilio/inbound';

/**
 * Twilio's "a message comes in" webhook of a channel's number (OM5.1): public, verified with the channel's
 * auth token (X-Twilio-Signature over the exact public URL and the form), as the status callbacks are.
 */
@Controller()
export class TwilioInboundController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly providers: MessagingProviderFactory,
    private readonly replies: RepliesService,
    private readonly config: OutboundMessagingConfig,
    private readonly clock: Clock,
  ) {}

  @Post(`${TWILIO_INBOUND_PATH}/:channelId`)
  @Public()
  @HttpCode(200)
  @ApiExcludeEndpoint()
  @AcceptsBodies({ contentTypes: [FORM], limit: '64kb', refusal: `A Twilio inbound message is ${FORM}` })
  async inbound(@Param('channelId') channelIdText: string, @Req() request: FastifyRequest & { body: unknown }): Promise<ReplyOutcome> {
    const channelId = parseNamed('channelId', guid, channelIdText);
    const found = await this.channels.webhookChannel(channelId, (channel) => this.providers.webhookAuthToken(channel));
    // Unknown channel and unsigned channel answer alike: nothing tells a prober which ids exist.
    if (!found) throw new ForbiddenException({ code: 'SignatureInvalid', message: 'This inbound message cannot be verified' });
    const params = request.body instanceof StreamedBody ? Object.fromEntries(new URLSearchParams(await request.body.text())) : {};
    const url = `${(this.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '')}${request.url}`;
    const { channel: row, secret: authToken } = found;
    const reading = readTwilioInbound(authToken, { url, signature: request.headers['x-twilio-signature'], params }, this.clock.now());
    if (reading.outcome === 'rejected') throw new HttpException({ code: reading.status === 400 ? 'BadInboundMessage' : 'SignatureInvalid', message: reading.reason }, reading.status);
    if (reading.outcome === 'ignored') return { outcome: 'duplicate' };
    if (!E164_EVENT_NUMBER.test(reading.value.from)) throw new HttpException({ code: 'BadInboundMessage', message: 'From is not an E.164 number' }, 400);
    return this.replies.receive(row, reading.value);
  }
}
