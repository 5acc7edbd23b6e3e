import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { Clock } from '@switchboard/clock';
import type { PhoneNumberValidation } from '@switchboard/contact-time';
import { AcceptsBodies, StreamedBody } from '@switchboard/service-kit';
import { ApiRequestBodies, DocumentedBody, valueOrValidationFailed, ZodQuery, type ValidationResult } from '@switchboard/validation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantSettingsService } from '../settings/tenant-settings.service';
import { CSV_CONTENT_TYPE, CSV_IMPORT_BODY_LIMIT, readCsvRequestBody } from './csv-request-body';
import { csvImportExample, parseDoNotCallCsv } from './do-not-call-csv';
import {
  DO_NOT_CALL_LIMITS,
  doNotCallEntryExample,
  doNotCallListQuerySchema,
  entrySchema,
  importJsonSchema,
  includeExpiredQuerySchema,
  parseDoNotCallEntry,
  parseDoNotCallImportJson,
  parsePhoneNumberParam,
  QUERY_LABEL,
  type DoNotCallEntryInput,
  type DoNotCallListQuery,
} from './do-not-call-entry.schema';
import { DoNotCallService, type DoNotCallEntryView, type DoNotCallImportResult, type DoNotCallPage } from './do-not-call.service';
import { importRejected } from './import-rejection';

const IMPORT_CONTENT_TYPES = `Send the list as ${CSV_CONTENT_TYPE} (header row phoneNumber,reason,expiresAt) or application/json {"entries": [...]}`;

// The documented schemas and examples are built by the same factories the parses use, at start-up.
const startedAt = new Date();

@ApiTags('do-not-call')
@ApiBearerAuth()
@Roles(Role.Administrator)
@Controller('proactive/do-not-call')
export class DoNotCallController {
  constructor(
    private readonly doNotCall: DoNotCallService,
    private readonly settings: TenantSettingsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Put a number on the do-not-call list (PD3.1)',
    description:
      'Body {phoneNumber, reason?, expiresAt?}; the number is stored in E.164. 201 when the number was not listed (or its entry had expired), ' +
      '200 when an existing entry had its reason and expiry replaced.',
  })
  async add(
    @TenantId() tenantId: string,
    // Parsed below: the clock and the tenant's number validation decide what is valid.
    @DocumentedBody(entrySchema(startedAt, 'strict'), { example: doNotCallEntryExample(startedAt) }) body: unknown,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const now = this.clock.now();
    const input = valueOrValidationFailed(parseDoNotCallEntry(body, now, await this.phoneValidationOf(tenantId)));
    const { entry, created } = await this.doNotCall.add(tenantId, input, now);
    // Not passthrough: Nest would overwrite the status with POST's 201.
    res.status(created ? 201 : 200).send(entry);
  }

  @Post('import')
  @HttpCode(200)
  @AcceptsBodies({ contentTypes: [CSV_CONTENT_TYPE], limit: CSV_IMPORT_BODY_LIMIT, refusal: IMPORT_CONTENT_TYPES })
  @ApiRequestBodies(
    {
      [CSV_CONTENT_TYPE]: { schema: { type: 'string' }, example: csvImportExample(startedAt) },
      'application/json': { schema: importJsonSchema(startedAt, 'strict'), example: { entries: [doNotCallEntryExample(startedAt)] } },
    },
    {
      description:
        `text/csv (up to ${CSV_IMPORT_BODY_LIMIT.toUpperCase()}): header row "phoneNumber,reason,expiresAt" (reason and expiresAt optional), ` +
        `then one number per row; or application/json {"entries": [{phoneNumber, reason?, expiresAt?}]} within the service's body limit. ` +
        `At most ${DO_NOT_CALL_LIMITS.importRows} rows, each number once.`,
    },
  )
  @ApiOperation({
    summary: 'Bulk import into the do-not-call list, all or nothing (PD3.1)',
    description:
      'Any invalid row → 400 listing up to 100 problems ("row 7.phoneNumber") and nothing is stored. Otherwise every row is upserted in one transaction → ' +
      '{imported, updated}: numbers newly listed, and listed numbers whose reason and expiry were replaced. Other content types → 415.',
  })
  // The body is read from the request: a @Body parameter would replace the per-media-type documentation.
  async import(@TenantId() tenantId: string, @Req() request: FastifyRequest): Promise<DoNotCallImportResult> {
    const now = this.clock.now();
    const entries = await this.importedEntries(request.body, now, await this.phoneValidationOf(tenantId));
    if (!entries.ok) throw importRejected(entries.errors);
    return this.doNotCall.import(tenantId, entries.value, now);
  }

  @Get()
  @ApiOperation({ summary: 'List the do-not-call entries in phone-number order; expired ones only with includeExpired=true' })
  list(@TenantId() tenantId: string, @ZodQuery(doNotCallListQuerySchema, { inputLabel: QUERY_LABEL }) query: DoNotCallListQuery): Promise<DoNotCallPage> {
    return this.doNotCall.list(tenantId, query, this.clock.now());
  }

  @Get(':phoneNumber')
  @ApiOperation({ summary: 'One entry; the number URL-encoded (%2B14155552671) in any form that parses' })
  get(
    @TenantId() tenantId: string,
    @Param('phoneNumber') phoneNumber: string,
    @ZodQuery(includeExpiredQuerySchema, { inputLabel: QUERY_LABEL }) includeExpired: boolean,
  ): Promise<DoNotCallEntryView> {
    const e164 = valueOrValidationFailed(parsePhoneNumberParam(phoneNumber));
    return this.doNotCall.get(tenantId, e164, { includeExpired }, this.clock.now());
  }

  @Delete(':phoneNumber')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a number off the do-not-call list (an expired entry too); 404 when it has no entry' })
  async remove(@TenantId() tenantId: string, @Param('phoneNumber') phoneNumber: string): Promise<void> {
    await this.doNotCall.remove(tenantId, valueOrValidationFailed(parsePhoneNumberParam(phoneNumber)), this.clock.now());
  }

  private async phoneValidationOf(tenantId: string): Promise<PhoneNumberValidation> {
    return (await this.settings.effective(tenantId)).phoneNumberValidation;
  }

  // The platform hands over JSON parsed, and a text/csv body unread (StreamedBody); other types got 415.
  private async importedEntries(body: unknown, now: Date, validation: PhoneNumberValidation): Promise<ValidationResult<DoNotCallEntryInput[]>> {
    if (body instanceof StreamedBody) return parseDoNotCallCsv(await readCsvRequestBody(body), now, validation);
    return parseDoNotCallImportJson(body, now, validation);
  }
}
