// `revoke`: the admin path of revocation, with no guard of its own. Writes through the same
// Redis store the guards read, so a script's sign-out reaches every instance.

import { ConfigError } from '@cognito-guard/core';
import type { RedisRevocationStore, RedisRevocationStoreOptions } from '@cognito-guard/redis';
import { CliError, EXIT } from '../exit-codes';
import { type Io, paint, printJson } from '../io';
import { readToken } from '../token-input';

/** Flags of `cognito-guard revoke`. */
export interface RevokeFlags {
  readonly redisUrl?: string;
  readonly keyPrefix?: string;
  readonly replicas?: number;
  readonly refreshTokenValidity?: number;
  readonly token?: string;
  readonly originJti?: string;
  readonly jti?: string;
  readonly sub?: string;
  readonly until?: Date;
  readonly at?: Date;
  readonly json?: boolean;
}

type Target =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'origin' | 'jti'; readonly id: string; readonly until: Date }
  | { readonly kind: 'sub'; readonly id: string; readonly at: Date };

/**
 * Stores one revocation in Redis: a token's session, a session or token by id, or a user's
 * sign-out. Exit 0 stored, 2 usage, 3 Redis unreachable.
 *
 * @example
 * ```ts
 * const code = await revokeCommand({ redisUrl: 'redis://127.0.0.1:6379', sub: 'aaaa-bbbb' }, io);
 * ```
 */
export async function revokeCommand(flags: RevokeFlags, io: Io): Promise<number> {
  const url = flags.redisUrl ?? io.env['COGNITO_GUARD_REDIS_URL'];
  if (url === undefined || url === '') {
    throw new CliError('--redis-url (or COGNITO_GUARD_REDIS_URL): is required', EXIT.usage);
  }
  const target = await targetOf(flags, io);
  const { redisRevocationStore, NotReplicatedError } = await loadRedisStore();
  let store: RedisRevocationStore;
  try {
    store = redisRevocationStore({
      url,
      keyPrefix: flags.keyPrefix,
      replicas: flags.replicas,
      refreshTokenValiditySeconds: flags.refreshTokenValidity,
      readyTimeoutMs: 3_000,
      // A revocation Redis may evict is one the person revoking must hear about, now.
      logger: { warn: (message: string) => io.err(paint(io, 'yellow', message)) },
    } as RedisRevocationStoreOptions);
  } catch (err) {
    throw new CliError(asFlags(err), EXIT.usage);
  }
  try {
    await revoke(store, target);
  } catch (err) {
    // A Redis Cluster refuses a --key-prefix without a hash tag: the flag is wrong, not Redis.
    if (err instanceof TypeError || err instanceof ConfigError) {
      throw new CliError(err.message, EXIT.usage);
    }
    const problem =
      err instanceof NotReplicatedError
        ? `not yet durable at ${redacted(url)}`
        : `Redis unreachable at ${redacted(url)}`;
    io.err(paint(io, 'red', `${problem}: ${(err as Error).message}`));
    return EXIT.unavailable;
  } finally {
    await store.close();
  }
  const stored = { revoked: target.kind, ...describe(target) };
  if (flags.json) printJson(io, stored);
  else io.out(paint(io, 'green', `revoked ${describeText(target)}`));
  return EXIT.ok;
}

async function targetOf(flags: RevokeFlags, io: Io): Promise<Target> {
  const given = [flags.token, flags.originJti, flags.jti, flags.sub].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new CliError('give exactly one of --token, --origin-jti, --jti, --sub', EXIT.usage);
  }
  if (flags.token !== undefined) return { kind: 'token', token: await readToken(flags.token, io) };
  if (flags.sub !== undefined) return { kind: 'sub', id: flags.sub, at: flags.at ?? new Date() };
  if (flags.until === undefined) {
    throw new CliError('--until: is required with --origin-jti and --jti', EXIT.usage);
  }
  return flags.originJti !== undefined
    ? { kind: 'origin', id: flags.originJti, until: flags.until }
    : { kind: 'jti', id: flags.jti as string, until: flags.until };
}

function revoke(store: RedisRevocationStore, target: Target): Promise<void> {
  switch (target.kind) {
    case 'token':
      return store.revokeToken(target.token);
    case 'origin':
      return store.revokeOrigin(target.id, target.until);
    case 'jti':
      return store.revokeJti(target.id, target.until);
    case 'sub':
      return store.signOutUser(target.id, target.at);
  }
}

function describe(target: Target): Record<string, string> {
  if (target.kind === 'token') return {};
  if (target.kind === 'sub') return { sub: target.id, at: target.at.toISOString() };
  return { id: target.id, until: target.until.toISOString() };
}

function describeText(target: Target): string {
  if (target.kind === 'token') return "the token's session (origin_jti, or its jti)";
  if (target.kind === 'sub')
    return `every token of ${target.id} authenticated at or before ${target.at.toISOString()}`;
  return `${target.kind === 'origin' ? 'session' : 'token'} ${target.id} until ${target.until.toISOString()}`;
}

// The store names its options; the person at the terminal typed flags.
const FLAG_OF: Readonly<Record<string, string>> = {
  url: '--redis-url (or COGNITO_GUARD_REDIS_URL)',
  keyPrefix: '--key-prefix',
  replicas: '--replicas',
  refreshTokenValiditySeconds: '--refresh-token-validity',
};

function asFlags(err: unknown): string {
  if (!(err instanceof ConfigError)) return (err as Error).message;
  return err.issues
    .map((issue) => `${FLAG_OF[issue.field] ?? issue.field}: ${issue.message}`)
    .join('; ');
}

// A URL may carry a password (redis://:secret@host); never print it.
function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

async function loadRedisStore(): Promise<typeof import('@cognito-guard/redis')> {
  try {
    return await import('@cognito-guard/redis');
  } catch {
    throw new CliError(
      'revoke needs @cognito-guard/redis and redis installed beside the CLI (npm i @cognito-guard/redis redis)',
      EXIT.usage,
    );
  }
}
