import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ServiceConfig } from '@switchboard/service-kit';
import { authOptionsFromConfig } from '../auth-config';
import { JwtVerifier, type JwtVerifierOptions } from '../jwt/jwt-verifier';
import { AUTH_GUARD_OPTIONS, type AuthGuardOptions } from './auth.constants';
import { AuthGuard } from './auth.guard';
import { RolesGuard } from './roles.guard';

export interface AuthModuleOptions {
  /** Verifier options, or a ready verifier (tests, or one shared by several modules). */
  verifier: JwtVerifierOptions | JwtVerifier;
  /** Route params that must equal the caller's tenant. Default ['tenantId']. */
  tenantRouteParams?: string[];
}

export interface AuthModuleAsyncOptions
  extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (
    ...args: never[]
  ) => AuthModuleOptions | Promise<AuthModuleOptions>;
  inject?: FactoryProvider['inject'];
  /** Register AuthGuard then RolesGuard as global guards. Default true. */
  globalGuards?: boolean;
}

const RESOLVED_OPTIONS = Symbol('AUTH_MODULE_RESOLVED_OPTIONS');

/**
 * Authentication for a service. With global guards (the default) every HTTP route needs a valid
 * bearer token unless marked @Public(), and @Roles(...) is enforced. Global module, so
 * @UseGuards(AuthGuard, RolesGuard) also works anywhere when global guards are off.
 */
@Module({})
export class AuthModule {
  static forRoot(
    options: AuthModuleOptions & { globalGuards?: boolean },
  ): DynamicModule {
    return AuthModule.forRootAsync({
      useFactory: () => options,
      globalGuards: options.globalGuards,
    });
  }

  /**
   * What a service uses: the AUTH_* settings of the injected ServiceConfig (validated once, at
   * start-up; an inconsistent combination stops the start with one line per problem).
   */
  static fromServiceConfig(
    options: Pick<AuthModuleOptions, 'tenantRouteParams'> & {
      globalGuards?: boolean;
    } = {},
  ): DynamicModule {
    return AuthModule.forRootAsync({
      inject: [ServiceConfig],
      useFactory: async (config: ServiceConfig) => ({
        ...options,
        verifier: await authOptionsFromConfig(config),
      }),
      globalGuards: options.globalGuards,
    });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      {
        provide: RESOLVED_OPTIONS,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      },
      {
        provide: JwtVerifier,
        useFactory: (resolved: AuthModuleOptions) =>
          resolved.verifier instanceof JwtVerifier
            ? resolved.verifier
            : new JwtVerifier(resolved.verifier),
        inject: [RESOLVED_OPTIONS],
      },
      {
        provide: AUTH_GUARD_OPTIONS,
        useFactory: (resolved: AuthModuleOptions): AuthGuardOptions => ({
          tenantRouteParams: resolved.tenantRouteParams ?? ['tenantId'],
        }),
        inject: [RESOLVED_OPTIONS],
      },
      AuthGuard,
      RolesGuard,
    ];
    // Order matters: authentication must run before the role check (401 before 403).
    if (options.globalGuards ?? true) {
      providers.push(
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: RolesGuard },
      );
    }
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [JwtVerifier, AuthGuard, RolesGuard, AUTH_GUARD_OPTIONS],
    };
  }
}
