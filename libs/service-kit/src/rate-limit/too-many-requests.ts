import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 in the one error shape; the exception filter adds `Retry-After: <retryAfterSeconds>` (P2.3). */
export class TooManyRequests extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ error: { code: 'TooManyRequests', message: `${message}; retry after ${retryAfterSeconds} s` } }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
