import { STATUS_CODES } from 'node:http';

export interface FieldProblem {
  /** Path of the offending field, e.g. `items[0].phone`; `(root)` for the whole value. */
  field: string;
  message: string;
}

/**
 * The one error shape of every endpoint. It is also the OData error shape, so vendor-compatible
 * routes (P2.2) need nothing special.
 */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: FieldProblem[];
  };
}

/** "Payload Too Large" → "PayloadTooLarge"; unknown statuses → "Error". */
export function errorCodeForStatus(status: number): string {
  const text = STATUS_CODES[status];
  return text ? text.replace(/[^A-Za-z0-9]/g, '') : 'Error';
}
