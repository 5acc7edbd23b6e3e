import { Controller, ForbiddenException, Get, GoneException, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@switchboard/auth';
import { Clock } from '@switchboard/clock';
import { ZodQuery } from '@switchboard/validation';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CrmHandover } from './crm-handover';
import { ExportFilesRepository } from './export-files.repository';
import { ExportSources } from './export-sources';

/** Read as text and checked by the signature, so that any tampering is one answer (403), never a 400 that tells which part. */
const linkQuery = z.object({ generation: z.string().optional(), expires: z.string().optional(), signature: z.string().optional() });

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
    @ZodQuery(linkQuery) query: z.output<typeof linkQuery>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parts = { fileId, generation: Number(query.generation), expires: Number(query.expires) };
    const wellFormed = Number.isSafeInteger(parts.generation) && Number.isSafeInteger(parts.expires);
    const check = wellFormed ? this.crm.check(parts, query.signature ?? '', this.clock.now()) : 'invalid';
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
