// @cognito-guard/core/revocation: the pieces a revocation store is built from (the in-memory
// list, the entry builders, the writer), for `@cognito-guard/redis` and for stores of your own.
// Applications need only `memoryRevocationStore` and the `revocation` option of the root export.

export type { RevocationCheck, RevocationSettings } from '../revocation/revocation-check';
export { createRevocationCheck } from '../revocation/revocation-check';
export type {
  RevocationEntry,
  RevocationKind,
  RevocationLifetime,
} from '../revocation/revocation-entry';
export {
  DEFAULT_REFRESH_TOKEN_VALIDITY_SECONDS,
  entryForJti,
  entryForOrigin,
  entryForSignOut,
  entryForToken,
  lifetimeMs,
} from '../revocation/revocation-entry';
export { RevocationList } from '../revocation/revocation-list';
export type { RevocationStore, RevocationWriter } from '../revocation/revocation-store';
export { isRevocationStore, revocationWriter } from '../revocation/revocation-store';
