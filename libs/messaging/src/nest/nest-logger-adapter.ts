import { Logger } from '@nestjs/common';
import { MessagingLogger } from '../logger';

/** Routes messaging logs through Nest's logger (and so through the service's JSON log). */
export function nestMessagingLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
  return {
    debug: (msg, fields) => logger.debug({ msg, ...fields }),
    info: (msg, fields) => logger.log({ msg, ...fields }),
    warn: (msg, fields) => logger.warn({ msg, ...fields }),
    error: (msg, fields) => logger.error({ msg, ...fields }),
  };
}
