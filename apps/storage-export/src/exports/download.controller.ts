import { Controller, ForbiddenException, Get, GoneException, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@switchboard/auth';
import { Clock } from '@switchboard/clock';
import type { FastifyReply } from 'fastify';
import { CrmHandover } from './crm-handover';
import { ExportFilesRepository } from './export-files.repository';
import { ExportSources } from './export-sources';

/** SE1.4: crm-sync reads an uploaded file or a metadata document through the signed link of FileForCrm. */
@ApiTags('storage exports')
@Controller('exports/files')
export class DownloadController {
  constructor(
    private readonly crm: CrmHandover,
    private readonly files: ExportFilesRepository,
    private readonly sources: ExportSources,
    private readonly clock: Clock,
  ) {}

  @Get(':fileId/content')
  @Public()
  @ApiOperation({ summary: 'The bytes of an export file, for the signed link handed to crm-sync (SE1.4)', description: '403 DownloadLinkInvalid; 410 DownloadLinkExpired; 404 when the file changed since.' })
  async content(
    @Param('fileId') fileId: string,
    @Query('generation') generation: string,
    @Query('expires') expires: string,
    @Query('signature') signature: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parts = { fileId, generation: Number(generation), expires: Number(expires) };
    const check = Number.isSafeInteger(parts.generation) && Number.isSafeInteger(parts.expires) ? this.crm.check(parts, String(signature ?? ''), this.clock.now()) : 'invalid';
    if (check === 'invalid') throw new ForbiddenException({ code: 'DownloadLinkInvalid', message: 'The download link is not valid' });
    if (check === 'expired') throw new GoneException({ code: 'DownloadLinkExpired', message: 'The download link has expired' });
    const file = await this.files.find(fileId);
    if (!file || file.generation !== parts.generation) throw new NotFoundException({ code: 'FileChanged', message: 'The file was replaced since the link was made' });
    const source = await this.sources.open(file);
    reply.header('content-type', file.contentType);
    if (source.size !== undefined) reply.header('content-length', String(source.size));
    await reply.send(source.content);
  }
}
