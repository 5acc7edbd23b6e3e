import { PayloadTooLargeException } from '@nestjs/common';
import { BodyTooLarge, type StreamedBody } from '@switchboard/service-kit';

export const CSV_CONTENT_TYPE = 'text/csv';

/** The import's own body limit: 50 000 rows with reasons and expiry dates fit; the service-wide limit is far smaller. */
export const CSV_IMPORT_BODY_LIMIT = '5mb';

/**
 * Reads a text/csv import inside the handler, after the guards: the platform hands the route the
 * unread stream (see @AcceptsBodies), so an unauthenticated client never gets 5 MB read. The
 * declared charset (UTF-8 by default) is decoded.
 */
export async function readCsvRequestBody(body: StreamedBody): Promise<string> {
  try {
    return await body.text();
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    throw new PayloadTooLargeException(`The CSV is larger than the ${CSV_IMPORT_BODY_LIMIT.toUpperCase()} an import may be; split it into several imports`);
  }
}
