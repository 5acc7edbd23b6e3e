import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@switchboard/clock';
import type { SessionEnded } from '@switchboard/contracts';
import { JobsService } from '@switchboard/jobs';
import { StorageExportConfig } from '../config';
import type { StorageExportTx } from '../database/prisma.service';
import { planSessionExport, type PlannedFile } from './export-plan';
import { type ExportFileSource, ExportFilesRepository, type NewExportFile } from './export-files.repository';
import { type ExportSettings, ExportSettingsSource } from './export-settings';
import { exportFileQueue } from './file-export.job';

/**
 * Turns an ended session into export files and their durable jobs, in the caller's transaction (the
 * consumer's inbox transaction): the jobs exist if and only if the event counts as processed.
 */
@Injectable()
export class SessionExportsService {
  private readonly logger = new Logger('SessionExports');

  constructor(
    private readonly files: ExportFilesRepository,
    private readonly settingsSource: ExportSettingsSource,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly config: StorageExportConfig,
  ) {}

  /**
   * Several ended sessions (one consumer batch), in order, with a few statements for all of them rather than four
   * per file: each tenant's settings read once, the paths already known looked up together, the new files and their
   * jobs inserted together. A path already known (or met twice in the batch) goes through stage() after the new ones
   * before it are written, so it sees them.
   */
  async planEndedSessions(tx: StorageExportTx, sessions: ReadonlyArray<{ tenantId: string; ended: SessionEnded }>): Promise<void> {
    const now = this.clock.now();
    const settingsOf = new Map<string, Promise<ExportSettings | undefined>>();
    const planned: Array<{ file: NewExportFile; runAt: Date }> = [];
    for (const { tenantId, ended } of sessions) {
      if (!settingsOf.has(tenantId)) settingsOf.set(tenantId, this.settingsSource.exportSettingsOf(tenantId));
      const settings = await settingsOf.get(tenantId);
      if (!settings?.enabled) continue;
      const plan = planSessionExport(ended, settings.kinds, now, this.config.METADATA_EXPORT_DELAY_SEC * 1000);
      for (const skipped of plan.skipped) this.logger.warn(`session ${JSON.stringify(ended.sessionId)} of tenant ${tenantId}: ${skipped.what} is not exported: ${skipped.reason}`);
      for (const file of plan.files) planned.push({ file: { ...file, tenantId, sessionId: ended.sessionId, source: sourceOf(file) }, runAt: file.runAt });
    }
    if (planned.length === 0) return;
    const known = await this.files.knownPaths(tx, planned.map(({ file }) => file));
    let fresh: Array<{ file: NewExportFile; runAt: Date }> = [];
    const writeFresh = async () => {
      if (fresh.length === 0) return;
      const created = await this.files.createMany(tx, fresh.map(({ file }) => file), this.clock.now());
      await this.jobs.schedule(tx, exportFileQueue, created.map((row, index) => ({ key: row.jobKey, tenantId: row.tenantId, payload: { exportFileId: row.id }, runAt: fresh[index]!.runAt })));
      fresh = [];
    };
    for (const entry of planned) {
      const key = pathKey(entry.file);
      if (!known.has(key)) {
        known.add(key);
        fresh.push(entry);
        continue;
      }
      await writeFresh();
      await this.stage(tx, entry.file, entry.runAt);
    }
    await writeFresh();
  }

  /**
   * One file: new → a row and its job; already known → for a metadata document of a higher version
   * (a re-issued SessionEnded) or a new upload, the new source and a new job; otherwise (a redelivered
   * or re-issued event) nothing.
   */
  async stage(tx: StorageExportTx, file: NewExportFile, runAt: Date): Promise<void> {
    const now = this.clock.now();
    const existing = await this.files.findByPath(tx, file.tenantId, file.path);
    if (!existing) {
      const created = await this.files.create(tx, file, now);
      await this.jobs.schedule(tx, exportFileQueue, [{ key: created.jobKey, tenantId: file.tenantId, payload: { exportFileId: created.id }, runAt }]);
      return;
    }
    if (!replacesSource(existing, file.source)) return;
    const jobKey = await this.files.replaceSource(tx, existing, file.source, now);
    await this.jobs.schedule(tx, exportFileQueue, [{ key: jobKey, tenantId: file.tenantId, payload: { exportFileId: existing.id }, runAt }]);
  }
}

function pathKey(file: { tenantId: string; path: string }): string {
  return `${file.tenantId}/${file.path}`;
}

function sourceOf(planned: PlannedFile): ExportFileSource {
  return planned.source.kind === 'url' ? planned.source : { kind: 'metadata', document: planned.source.document };
}

function replacesSource(existing: { sourceKind: string; documentVersion: number | null }, source: ExportFileSource): boolean {
  if (source.kind === 'upload') return true;
  if (source.kind === 'metadata') return existing.sourceKind === 'metadata' && (existing.documentVersion ?? 0) < source.document.version;
  return false;
}
