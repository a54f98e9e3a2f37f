// The one write a revocation is: merge with what Redis holds, store, announce, atomically.
//
// Merging keeps the stricter of two revocations of one id (the later `until`, the later sign-out
// cut-off), as every mirror does, so a late or repeated call can never weaken what is stored,
// and an instance that loads the list later reads what the others already hold. A script
// rather than MULTI because the merge reads before it writes. Times are printed with %d, not
// cjson, whose 14 significant digits would round a far-future millisecond down.

import type { RevocationEntry } from '@cognito-guard/core/revocation';
import type { RedisClientLike } from './client';
import { keyOf } from './codec';

const MERGE_STORE_PUBLISH = `
local kind, id = ARGV[2], ARGV[3]
local untilMs = tonumber(ARGV[4])
local at = nil
if ARGV[5] ~= '' then at = tonumber(ARGV[5]) end
local current = redis.call('GET', KEYS[1])
if current then
  local ok, known = pcall(cjson.decode, current)
  if ok and type(known) == 'table' then
    if type(known['until']) == 'number' and known['until'] > untilMs then untilMs = known['until'] end
    if at ~= nil and type(known['at']) == 'number' and known['at'] > at then at = known['at'] end
  end
end
local function int(n) return string.format('%d', n) end
local times = '"until":' .. int(untilMs)
if at ~= nil then times = '"at":' .. int(at) .. ',' .. times end
-- SET's PXAT would need Redis 6.2; PEXPIREAT in the same script is as atomic, on every version.
redis.call('SET', KEYS[1], '{' .. times .. '}')
redis.call('PEXPIREAT', KEYS[1], int(untilMs))
redis.call(ARGV[6], ARGV[1],
  '{"kind":' .. cjson.encode(kind) .. ',"id":' .. cjson.encode(id) .. ',' .. times .. '}')
return 1
`;

/**
 * Stores an entry (merged with any entry of the same id) and announces it on the channel, with
 * PUBLISH, or SPUBLISH (sharded pub/sub) on a Redis Cluster.
 *
 * @example
 * ```ts
 * await storeEntry(client, 'cognito-guard:revoked:', entry, 'PUBLISH');
 * ```
 */
export async function storeEntry(
  client: RedisClientLike,
  prefix: string,
  entry: RevocationEntry,
  publish: 'PUBLISH' | 'SPUBLISH',
): Promise<void> {
  await client.sendCommand([
    'EVAL',
    MERGE_STORE_PUBLISH,
    '1',
    keyOf(prefix, entry),
    `${prefix}events`,
    entry.kind,
    entry.id,
    String(entry.until),
    entry.kind === 'sub' ? String(entry.at) : '',
    publish,
  ]);
}

/**
 * Waits until `replicas` replicas hold every write made so far on `client`'s connection (Redis
 * WAIT, at most `timeoutMs`), and rejects, saying how many did, when fewer do: the entry is
 * stored and announced, but a failover now could still lose it from Redis.
 *
 * @example
 * ```ts
 * await storeEntry(writer, prefix, entry, 'PUBLISH');
 * await replicated(writer, 1, 1_000);
 * ```
 */
export async function replicated(
  client: RedisClientLike,
  replicas: number,
  timeoutMs: number,
): Promise<void> {
  const acknowledged = Number(
    await client.sendCommand(['WAIT', String(replicas), String(timeoutMs)]),
  );
  if (acknowledged >= replicas) return;
  throw new NotReplicatedError(acknowledged, replicas, timeoutMs);
}

/**
 * A revocation stored on the master and in force, but held by fewer replicas than the store's
 * `replicas` asks within the wait: a failover now could lose it from Redis. Retrying is safe.
 *
 * @example
 * ```ts
 * try {
 *   await store.revokeToken(req.auth!);
 * } catch (err) {
 *   if (err instanceof NotReplicatedError) await store.revokeToken(req.auth!); // once more
 * }
 * ```
 */
export class NotReplicatedError extends Error {
  override readonly name = 'NotReplicatedError';

  constructor(
    /** Replicas that confirmed the write in time. */
    readonly acknowledged: number,
    /** Replicas the store asks for. */
    readonly replicas: number,
    timeoutMs: number,
  ) {
    super(
      `the revocation is stored and announced, but ${acknowledged} of ${replicas} replicas confirmed it within ${timeoutMs} ms; retry to make it survive a failover`,
    );
  }
}
