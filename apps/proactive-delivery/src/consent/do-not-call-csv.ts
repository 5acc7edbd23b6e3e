import { CsvError, parse } from 'csv-parse/sync';
import type { PhoneNumberValidation } from '@switchboard/contact-time';
import { describeIssue, toFieldErrors, type FieldError, type ValidationResult } from '@switchboard/validation';
import { DO_NOT_CALL_LIMITS, doNotCallEntryExample, entrySchema, findDuplicates, type DoNotCallEntryInput, type LabelledEntry } from './do-not-call-entry.schema';

export const DO_NOT_CALL_CSV_COLUMNS = ['phoneNumber', 'reason', 'expiresAt'] as const;
type Column = (typeof DO_NOT_CALL_CSV_COLUMNS)[number];

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** A CSV import as the API documents it: one number listed until removed, one for a year from `now`. */
export function csvImportExample(now: Date): string {
  const { expiresAt } = doNotCallEntryExample(now);
  return `${DO_NOT_CALL_CSV_COLUMNS.join(',')}\n+14155552671,Asked not to be called,\n+442079460958,,${expiresAt}\n`;
}

/**
 * Reads a do-not-call import: a header row naming `phoneNumber` and optionally `reason` and
 * `expiresAt` (any order, any letter case), then one entry per row; empty cells are absent
 * values, blank lines are skipped. Every row is checked like a single POST, and a number may
 * appear only once. "row N" in errors is the line of the file where the row starts (the header
 * is row 1), which is also its row number in a spreadsheet unless a cell spans several lines.
 */
export function parseDoNotCallCsv(text: string, now: Date, validation: PhoneNumberValidation): ValidationResult<DoNotCallEntryInput[]> {
  const records = readRecords(text);
  if (!records.ok) return records;
  const [header, ...rows] = records.value;
  if (!header) return fail('header', 'The file is empty: it needs a header row "phoneNumber,reason,expiresAt" and one row per number');
  const columns = readHeader(header.record);
  if (!columns.ok) return columns;
  if (rows.length === 0) return fail('', 'The file has a header but no rows: nothing to import');
  if (rows.length > DO_NOT_CALL_LIMITS.importRows) {
    return fail('', `The file has more than ${DO_NOT_CALL_LIMITS.importRows.toLocaleString('en-US')} rows; split it into several imports`);
  }

  const schema = entrySchema(now, validation);
  const errors: FieldError[] = [];
  const entries: LabelledEntry[] = [];
  for (const { record, info } of rows) {
    const label = `row ${startLineOf(record, info.lines)}`;
    if (record.length !== columns.value.length) {
      errors.push({ field: label, message: `${label} has ${plural(record.length, 'value')}, but the header names ${plural(columns.value.length, 'column')}` });
      continue;
    }
    const result = schema.safeParse(cellsByColumn(columns.value, record), { error: describeIssue });
    if (result.success) {
      entries.push({ entry: result.data, label });
    } else {
      errors.push(...toFieldErrors(result.error.issues, label).map(({ field, message }) => ({ field: `${label}.${field}`, message: `${label}: ${message}` })));
    }
  }
  errors.push(...findDuplicates(entries));
  return errors.length === 0 ? { ok: true, value: entries.map(({ entry }) => entry) } : { ok: false, errors };
}

function readRecords(text: string): ValidationResult<CsvRecord[]> {
  try {
    const records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      // Rows with a wrong number of cells are reported per row below, with the others.
      relax_column_count: true,
      // Header + the most rows allowed + one, to tell "too many" without reading a huge file to the end.
      to: DO_NOT_CALL_LIMITS.importRows + 2,
    }) as unknown as CsvRecord[];
    return { ok: true, value: records };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error['lines'] === 'number' ? error['lines'] : undefined;
    // csv-parse's message ends with "at line N"; ours says it once, in front.
    const reason = error.message.replace(/:.*$/s, '');
    return fail(line ? `row ${line}` : '', `The file is not valid CSV${line ? ` at line ${line}` : ''}: ${reason}`);
  }
}

// Line endings were normalised to "\n", so the line breaks inside quoted cells are exactly these.
function startLineOf(record: readonly string[], endLine: number): number {
  return endLine - record.reduce((breaks, cell) => breaks + cell.split('\n').length - 1, 0);
}

function readHeader(names: readonly string[]): ValidationResult<Column[]> {
  const errors: FieldError[] = [];
  const columns: Column[] = [];
  names.forEach((name) => {
    const column = DO_NOT_CALL_CSV_COLUMNS.find((known) => known.toLowerCase() === name.toLowerCase());
    if (!column) {
      errors.push({ field: 'header', message: `The header column ${JSON.stringify(name)} is not known (expected ${DO_NOT_CALL_CSV_COLUMNS.join(', ')})` });
    } else if (columns.includes(column)) {
      errors.push({ field: 'header', message: `The header names the column ${column} twice` });
    } else {
      columns.push(column);
    }
  });
  if (!columns.includes('phoneNumber')) {
    errors.push({ field: 'header', message: 'The header must name a phoneNumber column (header row: phoneNumber,reason,expiresAt)' });
  }
  return errors.length === 0 ? { ok: true, value: columns } : { ok: false, errors };
}

// Empty cells are left out, so an empty phoneNumber reads "is required" and empty optional cells are absent.
function cellsByColumn(columns: readonly Column[], record: readonly string[]): Partial<Record<Column, string>> {
  const cells: Partial<Record<Column, string>> = {};
  columns.forEach((column, index) => {
    const cell = record[index];
    if (cell) cells[column] = cell;
  });
  return cells;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const fail = (field: string, message: string): { ok: false; errors: FieldError[] } => ({ ok: false, errors: [{ field, message }] });
