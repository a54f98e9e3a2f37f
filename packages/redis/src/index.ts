// @cognito-guard/redis: revocations (sign-out, revoked sessions) shared by every instance
// through Redis, answered from a local mirror.

export type { RedisClientLike } from './client';
export type { RedisRevocationStore, RedisRevocationStoreOptions } from './redis-store';
export { redisRevocationStore } from './redis-store';
export { NotReplicatedError } from './store-script';
