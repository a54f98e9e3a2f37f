// Every default of the guard's configuration, in one place: resolveConfig applies them.

import { DEFAULT_REALM } from '../errors/errors';

/**
 * The values a configuration gets for each option it leaves out.
 *
 * @example
 * ```ts
 * DEFAULTS.maxTokenBytes; // 16384
 * ```
 */
export const DEFAULTS = Object.freeze({
  tokenUse: 'access',
  graceSeconds: 0,
  algorithms: Object.freeze(['RS256'] as const),
  tokenSources: Object.freeze(['authorization'] as const),
  maxTokenBytes: 16 * 1024,
  cache: Object.freeze({ maxEntries: 10_000, maxAgeSeconds: 300 }),
  maxPools: 100,
  jwks: Object.freeze({
    timeoutMs: 3_000,
    maxBytes: 256 * 1024,
    retryAfterSeconds: 5,
    unknownKidCooldownSeconds: 10,
  }),
  realm: DEFAULT_REALM,
  caseSensitivePaths: false,
  revocation: Object.freeze({ maxStalenessSeconds: 5, onStoreUnavailable: 'deny' }),
} as const);
