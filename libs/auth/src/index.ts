// Roles, principal and typed errors (framework-free).
export { Role, ALL_ROLES, isRole } from './roles';
export {
  type Principal,
  isGuid,
  requireAnyRole,
  requireSameTenant,
} from './principal';
export {
  AuthError,
  MissingTokenError,
  InvalidTokenError,
  ForbiddenError,
  AuthProviderUnavailableError,
  InvalidSignatureError,
  type InvalidTokenReason,
  type ForbiddenReason,
} from './auth-errors';

// Bearer JWT verification (P1.2).
export {
  JwtVerifier,
  DEFAULT_ALGORITHMS,
  DEFAULT_TOKEN_CACHE_SIZE,
  type JwtVerifierOptions,
  type DevIssuerTrust,
} from './jwt/jwt-verifier';
export { extractBearerToken } from './jwt/bearer-token';
export { type PublicKeyInput } from './jwt/public-keys';
export { TENANT_PLACEHOLDER } from './jwt/issuer-match';
export {
  authOptionsFromConfig,
  parsePublicKeys,
  AuthConfigError,
  type AuthSettings,
} from './auth-config';

// HMAC-signed machine ingress (P1.4).
export {
  SIGNATURE_HEADER,
  DEFAULT_SIGNATURE_TOLERANCE_SEC,
  signBody,
  verifySignature,
  assertValidSignature,
  type VerifySignatureInput,
  type SignatureCheck,
  type HmacSecret,
  type RawBody,
} from './hmac/hmac-signature';

// Development tokens (P1.5).
export {
  DEV_ISSUER,
  DEFAULT_AUDIENCE,
  defaultDevKeysDir,
} from './dev/dev-issuer';
export {
  loadOrCreateDevKeys,
  generateDevKeys,
  DEV_KEY_ALG,
  DEV_PRIVATE_KEY_FILE,
  DEV_PUBLIC_KEY_FILE,
  type DevKeys,
} from './dev/dev-keys';
export { mintDevToken, type MintDevTokenOptions } from './dev/mint-dev-token';

// NestJS integration.
export {
  AuthModule,
  type AuthModuleOptions,
  type AuthModuleAsyncOptions,
} from './nest/auth.module';
export { AuthGuard } from './nest/auth.guard';
export { RolesGuard } from './nest/roles.guard';
export { Public, Roles, CurrentPrincipal, TenantId } from './nest/decorators';
export {
  IS_PUBLIC_KEY,
  ROLES_KEY,
  AUTH_GUARD_OPTIONS,
  type AuthGuardOptions,
} from './nest/auth.constants';
export {
  type AuthenticatedRequest,
  attachPrincipal,
  findPrincipal,
  principalOf,
  tenantIdOf,
} from './nest/request-principal';
export { toHttpException, type AuthErrorBody } from './nest/http-errors';
