import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { AcceptsBodies, StreamedBody } from '@switchboard/service-kit';
import type { FastifyReply } from 'fastify';
import { Clock } from '../common/clock';
import { valueOrValidationFailed } from '../common/field-errors';
import type { ValidationResult } from '../configurations/configuration.schema';
import type { PhoneNumberValidation } from '../phone/phone-number';
import { TenantSettingsService } from '../settings/tenant-settings.service';
import { CSV_CONTENT_TYPE, CSV_IMPORT_BODY_LIMIT, readCsvRequestBody } from './csv-request-body';
import { parseDoNotCallCsv } from './do-not-call-csv';
import {
  DO_NOT_CALL_LIMITS,
  parseDoNotCallEntry,
  parseDoNotCallImportJson,
  parseDoNotCallListQuery,
  parseIncludeExpiredQuery,
  parsePhoneNumberParam,
  type DoNotCallEntryInput,
} from './do-not-call-entry.schema';
import { DoNotCallService, type DoNotCallEntryView, type DoNotCallImportResult, type DoNotCallPage } from './do-not-call.service';
import { importRejected } from './import-rejection';

const IMPORT_CONTENT_TYPES = `Send the list as ${CSV_CONTENT_TYPE} (header row phoneNumber,reason,expiresAt) or application/json {"entries": [...]}`;

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
  async add(@TenantId() tenantId: string, @Body() body: unknown, @Res() res: FastifyReply): Promise<void> {
    const now = this.clock.now();
    const input = valueOrValidationFailed(parseDoNotCallEntry(body, now, await this.phoneValidationOf(tenantId)));
    const { entry, created } = await this.doNotCall.add(tenantId, input, now);
    // Not passthrough: Nest would overwrite the status with POST's 201.
    res.status(created ? 201 : 200).send(entry);
  }

  @Post('import')
  @HttpCode(200)
  @AcceptsBodies({ contentTypes: [CSV_CONTENT_TYPE], limit: CSV_IMPORT_BODY_LIMIT, refusal: IMPORT_CONTENT_TYPES })
  @ApiConsumes(CSV_CONTENT_TYPE, 'application/json')
  @ApiBody({
    description:
      `text/csv (up to ${CSV_IMPORT_BODY_LIMIT.toUpperCase()}): header row "phoneNumber,reason,expiresAt" (reason and expiresAt optional), ` +
      `then one number per row; or application/json {"entries": [{phoneNumber, reason?, expiresAt?}]} within the service's body limit. ` +
      `At most ${DO_NOT_CALL_LIMITS.importRows} rows, each number once.`,
    schema: { type: 'string' },
  })
  @ApiOperation({
    summary: 'Bulk import into the do-not-call list, all or nothing (PD3.1)',
    description:
      'Any invalid row → 400 listing up to 100 problems ("row 7.phoneNumber") and nothing is stored. Otherwise every row is upserted in one transaction → ' +
      '{imported, updated}: numbers newly listed, and listed numbers whose reason and expiry were replaced. Other content types → 415.',
  })
  async import(@TenantId() tenantId: string, @Body() body: unknown): Promise<DoNotCallImportResult> {
    const now = this.clock.now();
    const entries = await this.importedEntries(body, now, await this.phoneValidationOf(tenantId));
    if (!entries.ok) throw importRejected(entries.errors);
    return this.doNotCall.import(tenantId, entries.value, now);
  }

  @Get()
  @ApiOperation({ summary: 'List the do-not-call entries in phone-number order; expired ones only with includeExpired=true' })
  @ApiQuery({ name: 'limit', required: false, description: `1–${DO_NOT_CALL_LIMITS.listPageSize.max}, default ${DO_NOT_CALL_LIMITS.listPageSize.default}` })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'includeExpired', required: false, enum: ['true', 'false'] })
  list(@TenantId() tenantId: string, @Query() query: unknown): Promise<DoNotCallPage> {
    return this.doNotCall.list(tenantId, valueOrValidationFailed(parseDoNotCallListQuery(query)), this.clock.now());
  }

  @Get(':phoneNumber')
  @ApiOperation({ summary: 'One entry; the number URL-encoded (%2B14155552671) in any form that parses' })
  @ApiQuery({ name: 'includeExpired', required: false, enum: ['true', 'false'] })
  get(@TenantId() tenantId: string, @Param('phoneNumber') phoneNumber: string, @Query() query: unknown): Promise<DoNotCallEntryView> {
    const e164 = valueOrValidationFailed(parsePhoneNumberParam(phoneNumber));
    const includeExpired = valueOrValidationFailed(parseIncludeExpiredQuery(query));
    return this.doNotCall.get(tenantId, e164, { includeExpired }, this.clock.now());
  }

  @Delete(':phoneNumber')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a number off the do-not-call list (an expired entry too); 404 when it has no entry' })
  async remove(@TenantId() tenantId: string, @Param('phoneNumber') phoneNumber: string): Promise<void> {
    await this.doNotCall.remove(tenantId, valueOrValidationFailed(parsePhoneNumberParam(phoneNumber)));
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
