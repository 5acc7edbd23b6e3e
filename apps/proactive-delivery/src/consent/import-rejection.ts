import { BadRequestException } from '@nestjs/common';
import type { FieldError } from '@switchboard/validation';
import { DO_NOT_CALL_LIMITS } from './do-not-call-entry.schema';

const PROBLEMS_IN_MESSAGE = 3;

/**
 * The 400 of an import with invalid rows: nothing was stored. A file can have thousands of bad
 * rows, so `details` lists the first 100 and the message counts all of them.
 */
export function importRejected(errors: readonly FieldError[]): BadRequestException {
  const listed = errors.slice(0, DO_NOT_CALL_LIMITS.reportedImportErrors);
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  const shown = errors.slice(0, PROBLEMS_IN_MESSAGE).map((error) => error.message);
  const more = errors.length > PROBLEMS_IN_MESSAGE ? '; …' : '';
  const listedNote = errors.length > listed.length ? ` (details lists the first ${listed.length})` : '';
  return new BadRequestException({
    message: `Nothing was imported: ${count} found${listedNote}. ${shown.join('; ')}${more}`,
    details: listed.map(({ field, message }) => ({ field: field || '(root)', message })),
  });
}
