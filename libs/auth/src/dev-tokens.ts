/**
 * Framework-free entry for development-token tooling (tools/mint-token.ts): importing it does not
 * load NestJS. Everything here is also exported from the library index.
 */
export { ALL_ROLES, isRole, Role } from './roles';
export { isGuid } from './principal';
export {
  DEV_ISSUER,
  DEFAULT_AUDIENCE,
  defaultDevKeysDir,
} from './dev/dev-issuer';
export {
  loadOrCreateDevKeys,
  generateDevKeys,
  type DevKeys,
} from './dev/dev-keys';
export { mintDevToken, type MintDevTokenOptions } from './dev/mint-dev-token';
