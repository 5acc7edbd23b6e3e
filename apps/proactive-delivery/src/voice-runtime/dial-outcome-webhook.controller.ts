import { Controller, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public, SIGNATURE_HEADER, verifySignature } from '@switchboard/auth';
import { type RequestWithRawBody } from '@switchboard/service-kit';
import { DocumentedBody, parseWith } from '@switchboard/validation';
import { ProactiveDeliveryConfig } from '../config';
import { dialOutcomeWebhookExample, dialOutcomeWebhookSchema, toDialOutcomeReport } from './dial-outcome-webhook.schema';
import { DIAL_OUTCOME_SINK, type DialOutcomeSink } from './voice-runtime';

export interface DialOutcomeAccepted {
  accepted: true;
  attemptId: string;
}

/** The signed webhook through which an HTTP voice runtime reports how an attempt ended (PD4.3). */
@ApiTags('voice runtime')
@Controller('proactive/voice-runtime')
export class DialOutcomeWebhookController {
  constructor(
    @Inject(DIAL_OUTCOME_SINK) private readonly sink: DialOutcomeSink,
    private readonly config: ProactiveDeliveryConfig,
  ) {}

  @Post('outcomes')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Report the outcome of one dial attempt (HMAC-signed with VOICE_WEBHOOK_SECRET)' })
  @ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">' })
  @ApiResponse({ status: 202, description: 'Outcome recorded' })
  @ApiResponse({ status: 401, description: 'Missing or invalid signature, or the webhook is not configured' })
  @ApiResponse({ status: 404, description: 'No dial attempt has this attemptId' })
  async report(
    @Req() request: RequestWithRawBody,
    // Parsed only once the signature is checked: unauthenticated callers learn nothing from a 400.
    @DocumentedBody(dialOutcomeWebhookSchema, { example: dialOutcomeWebhookExample }) body: unknown,
  ): Promise<DialOutcomeAccepted> {
    this.authenticate(request);
    const report = toDialOutcomeReport(parseWith(dialOutcomeWebhookSchema, body));
    // The sink's NotFoundException (unknown attemptId) reaches the caller as 404.
    await this.sink.report(report);
    return { accepted: true, attemptId: report.attemptId };
  }

  private authenticate(request: RequestWithRawBody): void {
    // One answer for every failure: callers learn nothing about whether the webhook is configured.
    const refuse = () => new UnauthorizedException('Missing or invalid voice runtime signature');
    const secret = this.config.VOICE_WEBHOOK_SECRET;
    if (!secret || !request.rawBody) throw refuse();
    const check = verifySignature({ secret, rawBody: request.rawBody, header: request.headers[SIGNATURE_HEADER.toLowerCase()] });
    if (!check.valid) throw refuse();
  }
}
