// The revocation store for one process and for tests: the list itself, always current.

import * as z from 'zod/mini';
import { checkOptions, positiveNumberOf } from '../config/check-options';
import { lifetimeMs, type RevocationLifetime } from './revocation-entry';
import { RevocationList } from './revocation-list';
import { type RevocationStore, revocationWriter } from './revocation-store';

/**
 * A revocation store held in this process's memory. Right for a single instance and for tests;
 * several instances need a shared store (`redisRevocationStore` from `@cognito-guard/redis`).
 *
 * @example
 * ```ts
 * const store = memoryRevocationStore({ refreshTokenValiditySeconds: 7 * 86400 });
 * const guard = cognitoGuard({ ...config, revocation: { store } });
 * await store.signOutUser(sub);
 * ```
 */
export function memoryRevocationStore(options?: RevocationLifetime): RevocationStore {
  const schema = z.strictObject({ refreshTokenValiditySeconds: positiveNumberOf('seconds') });
  const lifetime = lifetimeMs(checkOptions('memoryRevocationStore', options, schema));
  const list = new RevocationList();
  const writer = revocationWriter(lifetime, async (entry) => list.add(entry));
  return Object.freeze({
    ...writer,
    ready: async () => undefined,
    lookup: (claims, now) => list.find(claims, now),
    stalenessMs: () => 0,
    refresh: async () => undefined,
    close: async () => list.clear(),
  } satisfies RevocationStore);
}
