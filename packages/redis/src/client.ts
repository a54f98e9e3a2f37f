// The part of a node-redis client (v5, v6) the store uses, so that any client the application
// already has fits, and so that core never depends on Redis.

/** What the store needs of a `redis` client (`createClient()`). */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  duplicate(): RedisClientLike;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(
    event: 'ready' | 'end' | 'reconnecting' | 'sharded-channel-moved',
    listener: () => void,
  ): unknown;
  off(
    event: 'ready' | 'end' | 'reconnecting' | 'sharded-channel-moved',
    listener: () => void,
  ): unknown;
  off(event: 'error', listener: (err: Error) => void): unknown;
  ping(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  sSubscribe(channel: string, listener: (message: string) => void): Promise<void>;
}
