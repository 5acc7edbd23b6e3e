import { Controller, Get, HttpCode, Param, Post, Put, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, Roles, TenantId } from '@switchboard/auth';
import { AcceptsBodies, StreamedBody } from '@switchboard/service-kit';
import { ApiRequestBodies, EmptyBody } from '@switchboard/validation';
import type { FastifyRequest } from 'fastify';
import { parseSessionId, parseUploadFileName, parseUploadKind, UPLOAD_BODY_LIMIT, UPLOAD_CONTENT_TYPES } from './export-requests';
import { type ExportFileView, ExportsQueryService } from './exports-query.service';
import { type AcceptedUpload, UploadsService } from './uploads.service';

@ApiTags('storage exports')
@ApiBearerAuth()
@Controller('sessions/:sessionId')
export class ExportsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly query: ExportsQueryService,
  ) {}

  @Put('files/:kind/:fileName')
  @HttpCode(202)
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @AcceptsBodies({ contentTypes: UPLOAD_CONTENT_TYPES, limit: UPLOAD_BODY_LIMIT, refusal: `Send the file's bytes as ${UPLOAD_CONTENT_TYPES.join(', ')}` })
  @ApiRequestBodies(
    Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' }, example: type === 'text/plain' ? 'Agent: Hello, how can I help?' : '<the file bytes>' }])),
    { description: "The file's bytes, streamed; the content type is the file's own." },
  )
  @ApiOperation({
    summary: 'Upload a session file to export (SE3.5): accepted once stored durably, then delivered by a job',
    description:
      'kind: recording | voicemail | transcript | media; fileName: the layout name for the session (call-{id}.mp3|wav, chat-{id}.txt, ' +
      `{call|chat}-{id}-photo-{photo-id}.jpg, {call|chat}-{id}-video-{video-id}.mp4). Up to ${UPLOAD_BODY_LIMIT.toUpperCase()}, streamed. ` +
      '202 {sessionId, kind, fileName, path, size, sha256, status}. 400 names a bad sessionId, kind or fileName; 409 ExportsDisabled; ' +
      '422 KindNotStored; 413 too large; 415 other content types. Uploading the same name again replaces the file.',
  })
  async upload(@TenantId() tenantId: string, @Param('sessionId') sessionId: string, @Param('kind') kind: string, @Param('fileName') fileName: string, @Req() request: FastifyRequest): Promise<AcceptedUpload> {
    const id = parseSessionId(sessionId);
    const uploadKind = parseUploadKind(kind);
    const name = parseUploadFileName(uploadKind, id, fileName);
    await this.uploads.checkAccepted(tenantId, uploadKind);
    if (!(request.body instanceof StreamedBody)) throw new UnsupportedMediaTypeException(`Send the file's bytes as ${UPLOAD_CONTENT_TYPES.join(', ')}`);
    return this.uploads.accept(tenantId, id, name, request.body);
  }

  @Get('exports')
  @Roles(Role.Administrator, Role.OmnichannelSupervisor)
  @ApiOperation({ summary: "A session's export files with status (pending | exported | failed | skipped), tries and last error (SE3.3)" })
  list(@TenantId() tenantId: string, @Param('sessionId') sessionId: string): Promise<{ sessionId: string; files: ExportFileView[] }> {
    return this.query.list(tenantId, parseSessionId(sessionId));
  }

  @Post('exports/retry')
  @HttpCode(200)
  @Roles(Role.Administrator)
  @ApiOperation({ summary: "Runs the session's failed exports again, with a fresh count of tries (SE3.3)", description: '200 {retried: [fileName]}; 404 SessionNotFound.' })
  retry(@TenantId() tenantId: string, @Param('sessionId') sessionId: string, @EmptyBody() _body: object | undefined): Promise<{ retried: string[] }> {
    return this.query.retryFailed(tenantId, parseSessionId(sessionId));
  }
}
