// Which pool an issuer belongs to, and the signature verifier for its tokens. Configured pools
// are all known at start-up and share one verifier. Pools resolved per issuer (one pool per
// tenant) get a verifier and a key cache each, kept for the most recently used pools only, so
// memory stays bounded however many tenants there are; an issuer the resolver does not know is
// refused before any key is fetched.

import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import { type LRU, lru } from 'tiny-lru';
import { poolForIssuer } from '../config/pools';
import type { ResolvedConfig, ResolvedPool, ResolvedPoolResolver } from '../config/types';
import {
  createSignatureVerifier,
  type IssuerSettings,
  type SignatureVerifier,
} from './aws-jwt-verify-seam';
import type { JwksFetcher } from './jwks-fetcher';

interface PoolEntry {
  readonly pool: ResolvedPool;
  readonly verifier: SignatureVerifier;
  readonly jwksCache: SimpleJwksCache;
}

/** The issuers' settings (checks included) of one pool, as the token verifier builds them. */
export type IssuerSettingsOf = (pool: ResolvedPool) => IssuerSettings[];

/**
 * Finds the pool and the signature verifier for a token's issuer.
 *
 * @example
 * ```ts
 * const directory = new PoolDirectory(config, fetcher, settingsOf);
 * directory.verifierFor(payload.iss)?.verifySync(token);
 * ```
 */
export class PoolDirectory {
  private readonly fixed: PoolEntry | undefined;
  private readonly byIssuer = new Map<string, ResolvedPool>();
  private readonly resolver: ResolvedPoolResolver | undefined;
  private readonly resolved: LRU<PoolEntry> | undefined;
  // Issuers whose resolution was reported as a mistake: one warning each, not one per request.
  private readonly reported = new Set<string>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly fetcher: JwksFetcher,
    private readonly settingsOf: IssuerSettingsOf,
  ) {
    this.resolver = config.poolResolver;
    if (this.resolver !== undefined) {
      this.resolved = lru<PoolEntry>(this.resolver.maxPools);
      return;
    }
    for (const pool of config.pools) {
      for (const { issuer } of pool.issuers) this.byIssuer.set(issuer, pool);
    }
    this.fixed = this.entryFor(config.pools);
  }

  /**
   * The one verifier of configured pools, which refuses unknown issuers itself; `undefined` when
   * pools are resolved per issuer, so a token's issuer must be read first (`verifierFor`).
   */
  get shared(): SignatureVerifier | undefined {
    return this.fixed?.verifier;
  }

  /** Pools resolved and kept (0 with configured pools). */
  get size(): number {
    return this.resolved?.size ?? 0;
  }

  /** The pool this issuer belongs to, resolving it when pools are resolved per issuer. */
  poolOf(issuer: string): ResolvedPool | undefined {
    if (this.resolver === undefined) return this.byIssuer.get(issuer);
    return this.resolvedEntry(issuer)?.pool;
  }

  /**
   * The verifier for tokens of this issuer: the shared one with configured pools; resolved per
   * issuer, `undefined` when the resolver gives no pool that issues it.
   */
  verifierFor(issuer: unknown): SignatureVerifier | undefined {
    if (this.fixed !== undefined) return this.fixed.verifier;
    return typeof issuer === 'string' ? this.resolvedEntry(issuer)?.verifier : undefined;
  }

  /** The issuers tokens may carry, for an operator's message. */
  describeIssuers(): string {
    if (this.resolver !== undefined) return 'an issuer pools.resolve() gives a pool for';
    return [...this.byIssuer.keys()].join(' or ');
  }

  /** Fetches the primary keys of every configured pool (resolved pools are fetched on use). */
  async ready(): Promise<void> {
    const fixed = this.fixed;
    if (fixed === undefined) return;
    await Promise.all(
      this.config.pools.map((pool) =>
        fixed.jwksCache.getJwks((pool.issuers[0] as { jwksUri: string }).jwksUri),
      ),
    );
  }

  private resolvedEntry(issuer: string): PoolEntry | undefined {
    const cache = this.resolved as LRU<PoolEntry>;
    const kept = cache.get(issuer);
    if (kept !== undefined) return kept;
    const found = poolForIssuer(this.resolver as ResolvedPoolResolver, issuer);
    if (!('pool' in found)) {
      if (found.misconfigured) this.report(issuer, found.problem);
      return undefined;
    }
    const entry = this.entryFor([found.pool]);
    cache.set(issuer, entry);
    return entry;
  }

  private entryFor(pools: readonly ResolvedPool[]): PoolEntry {
    const { jwks, realm } = this.config;
    const jwksCache = new SimpleJwksCache({
      fetcher: this.fetcher,
      penaltyBox: new SimplePenaltyBox({ waitSeconds: jwks.unknownKidCooldownSeconds }),
    });
    const verifier = createSignatureVerifier(pools.flatMap(this.settingsOf), jwksCache, realm);
    return { pool: pools[0] as ResolvedPool, verifier, jwksCache };
  }

  private report(issuer: string, problem: string): void {
    if (this.reported.has(issuer)) return;
    if (this.reported.size >= 1000) this.reported.clear();
    this.reported.add(issuer);
    this.config.logger.warn(`cognito-guard: refused tokens of issuer ${issuer}: ${problem}`);
  }
}
