import { Global, Injectable, Module } from '@nestjs/common';

/** The service's notion of "now", one injectable so tests can stand at a chosen instant. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** Provides the system Clock everywhere; a test replaces it with `overrideProvider(Clock)`. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
