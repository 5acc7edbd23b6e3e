import { DynamicModule, Global, Module, ModuleMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClockModule } from '@switchboard/clock';
import { JOBS_OPTIONS, JobsModuleOptions, JobsService } from './jobs.service';

export interface JobsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...args: never[]) => JobsModuleOptions;
}

/** Durable jobs for the whole app (ServicePlatformModule imports it): JobsService and every @JobHandler. */
@Global()
@Module({})
export class JobsModule {
  static forRootAsync(options: JobsModuleAsyncOptions): DynamicModule {
    return {
      module: JobsModule,
      imports: [DiscoveryModule, ClockModule, ...(options.imports ?? [])],
      providers: [{ provide: JOBS_OPTIONS, inject: (options.inject ?? []) as never[], useFactory: options.useFactory }, JobsService],
      exports: [JobsService],
    };
  }
}
