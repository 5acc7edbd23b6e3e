import { expect, it } from 'vitest';

/** One row of a bad-input table: the answer a request must get. */
export interface ExpectedRefusal {
  /** Starts with the requirement it checks; unique in its table. */
  name: string;
  status: number;
  /** error.code of the platform's error shape. */
  code: string;
  /** Exactly the details[].field values the answer must name (any order). */
  fields?: string[];
  /** What error.message must say. */
  message?: RegExp;
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; details?: { field: string; message: string }[] };
}

/**
 * A bad-input table's tests (P2.1): the table has at least 40 rows, each named once, and every row is
 * refused as expectRefused checks. Call it inside a describe whose hooks start the service.
 */
export function itRefusesEveryRow<R extends ExpectedRefusal>(rows: readonly R[], send: (row: R) => Promise<Response>, stored: () => Promise<unknown>): void {
  it('P2.1 the table has at least 40 rows, each with a unique name', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows)('$name → $status $code', async (row) => {
    await expectRefused(row, () => send(row), stored);
  });
}

/**
 * Sends one bad request and checks every promise about its answer (P2.1): no 5xx, the row's status,
 * error code, message and fields, and `stored()` (row counts, outbox) unchanged. Soft assertions: a
 * row that breaks several promises reports every one of them.
 */
export async function expectRefused(row: ExpectedRefusal, send: () => Promise<Response>, stored: () => Promise<unknown>): Promise<void> {
  const before = await stored();
  const response = await send();
  const text = await response.text();

  expect.soft(response.status, text).toBeLessThan(500);
  expect.soft(await stored(), `stored something; answered ${response.status} ${text}`).toEqual(before);
  expect.soft(response.status, text).toBe(row.status);
  const { error } = JSON.parse(text) as ErrorAnswer;
  expect.soft(error?.code, text).toBe(row.code);
  if (row.message) expect.soft(error?.message, text).toMatch(row.message);
  if (row.fields) expect.soft((error?.details ?? []).map((detail) => detail.field).sort(), text).toEqual([...row.fields].sort());
}
