// How revocations look in Redis: one key per entry, so Redis expires each by itself, and one
// pub/sub message per write, so every instance's mirror hears of it at once.
//
//   key      <prefix><kind>:<id>            e.g. cognito-guard:revoked:origin:6d1d…
//   value    {"until":<ms>} | {"at":<ms>,"until":<ms>}      (sub: the sign-out cut-off),
//            written by the store's script (store-script.ts)
//   message  {"kind":…,"id":…,"until":…[,"at":…]}   on channel <prefix>events
//
// Anyone with write access to Redis can put anything there, so decoding never trusts a value:
// it returns a problem to log, never throws.

import type { RevocationEntry, RevocationKind } from '@cognito-guard/core/revocation';
import * as z from 'zod/mini';

const KINDS = ['origin', 'jti', 'sub'] as const satisfies readonly RevocationKind[];
const time = z.number();
const valueSchema = z.object({ until: time, at: z.optional(time) });
const namesSchema = z.object({
  kind: z.enum(KINDS),
  id: z.string().check(z.minLength(1)),
});
const messageSchema = z.extend(namesSchema, { until: time, at: z.optional(time) });

/** A stored value or message that is not a revocation, and why. */
export interface Malformed {
  readonly problem: string;
  /** What the key names, when the key itself could be read (the value could not). */
  readonly names?: { readonly kind: RevocationKind; readonly id: string };
}

/**
 * The Redis key of an entry.
 *
 * @example
 * ```ts
 * keyOf('cognito-guard:revoked:', { kind: 'jti', id: 'f3a9' }); // 'cognito-guard:revoked:jti:f3a9'
 * ```
 */
export function keyOf(prefix: string, entry: Pick<RevocationEntry, 'kind' | 'id'>): string {
  return `${prefix}${entry.kind}:${entry.id}`;
}

/**
 * Reads a stored key and value back into an entry.
 *
 * @example
 * ```ts
 * decodeStored('p:', 'p:jti:f3a9', '{"until":9}'); // { kind: 'jti', id: 'f3a9', until: 9 }
 * ```
 */
export function decodeStored(
  prefix: string,
  key: string,
  value: string | null,
): RevocationEntry | Malformed {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
  const colon = rest?.indexOf(':') ?? -1;
  const kind = rest?.slice(0, colon) as RevocationKind;
  const id = rest?.slice(colon + 1) ?? '';
  if (colon < 0 || !KINDS.includes(kind) || id === '') {
    return { problem: 'the key names no revocation kind and id' };
  }
  if (value === null) return { problem: 'the key vanished while loading (expired or deleted)' };
  const parsed = valueSchema.safeParse(parseJson(value));
  if (!parsed.success) {
    return { problem: 'the value is not {"until":<ms>[,"at":<ms>]}', names: { kind, id } };
  }
  const { until, at } = parsed.data;
  if (kind !== 'sub') return { kind, id, until };
  if (at === undefined) return { problem: 'a sign-out value has no "at"', names: { kind, id } };
  return { kind, id, at, until };
}

/**
 * Reads a pub/sub message back into an entry. A message that names a kind and an id but no
 * readable times still names them, so that the stricter reading applies, as for a stored value.
 *
 * @example
 * ```ts
 * decodeMessage('{"kind":"jti","id":"f3a9","until":9}'); // { kind: 'jti', id: 'f3a9', until: 9 }
 * ```
 */
export function decodeMessage(message: string): RevocationEntry | Malformed {
  const json = parseJson(message);
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) {
    const named = namesSchema.safeParse(json);
    const problem = 'the message is not {"kind","id","until"[,"at"]}';
    return named.success ? { problem, names: named.data } : { problem };
  }
  const { kind, id, until, at } = parsed.data;
  if (kind !== 'sub') return { kind, id, until };
  if (at === undefined) return { problem: 'a sign-out message has no "at"', names: { kind, id } };
  return { kind, id, at, until };
}

/**
 * Tells a decoded entry from a problem.
 *
 * @example
 * ```ts
 * if (isMalformed(decoded)) logger.warn(decoded.problem);
 * ```
 */
export function isMalformed(decoded: RevocationEntry | Malformed): decoded is Malformed {
  return 'problem' in decoded;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
