import { Global, Module } from '@nestjs/common';
import { ServiceLifecycle } from '../lifecycle/service-lifecycle';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness-registry';

/** Same instance as ReadinessRegistry, for code that prefers a token: `@Inject(READINESS_CHECKS)`. */
export const READINESS_CHECKS = 'READINESS_CHECKS';

/** Global, so any module can inject ReadinessRegistry and ServiceLifecycle without importing it. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [ReadinessRegistry, ServiceLifecycle, { provide: READINESS_CHECKS, useExisting: ReadinessRegistry }],
  exports: [ReadinessRegistry, ServiceLifecycle, READINESS_CHECKS],
})
export class HealthModule {}
