// The guard's configuration as users write it (GuardConfig) and as the guard uses it once
// validated and defaulted (ResolvedConfig).

import type { Decision } from '../decision/decision';
import type { RequestLike } from '../request/extract-token';
import type { RevocationSettings } from '../revocation/revocation-check';
import type { RevocationStore } from '../revocation/revocation-store';
import type { JwksFetchEvent } from '../token/jwks-fetcher';
import type { Principal } from '../token/principal';

export type TokenUseSetting = 'access' | 'id' | 'any';

/** Signature algorithms aws-jwt-verify can check. Cognito signs with RS256. */
export type SignatureAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/** Where a bearer token may come from, tried in the configured order. */
export type TokenSource =
  /** `Authorization: Bearer <jwt>` (or a bare JWT, as API Gateway accepts). */
  | 'authorization'
  /**
   * The access token an ALB with OIDC authentication forwards in `x-amzn-oidc-accesstoken`, from
   * its session cookie: checked for cross-site requests as a cookie is.
   */
  | 'alb'
  /**
   * A named cookie holding the raw JWT. A browser sends it with other sites' requests too: a
   * request another origin's page sends with it (one that changes state, a script's read) is
   * refused unless that origin is in `trustedOrigins`.
   */
  | { readonly cookie: string };

/** One user pool and what its tokens must carry. */
export interface PoolConfig {
  /** e.g. `eu-west-1_AbCdEf123`; any id when `issuer` is overridden (`local_5PceJQBy`). */
  readonly userPoolId: string;
  /** Allowed app client(s): `aud` of ID tokens, `client_id` of access tokens. `null` skips the check on purpose. */
  readonly clientId: string | readonly string[] | null;
  /** `'access'` (default), `'id'` or `'any'`. */
  readonly tokenUse?: TokenUseSetting | undefined;
  /** Expected `iss`, for emulators (cognito-local, LocalStack). */
  readonly issuer?: string | undefined;
  /** Where keys are fetched; defaults to `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri?: string | undefined;
  /**
   * Regions the pool is replicated to (Multi-Region Replication) whose tokens carry the
   * original issuer format, `https://cognito-idp.<replica region>.amazonaws.com/<pool id>`.
   * Not needed for the updated issuer format (`issuer-cognito-idp.<primary region>`), which is
   * always accepted.
   */
  readonly replicaRegions?: readonly string[] | undefined;
}

/**
 * Pools found per request, for SaaS set-ups with one pool per tenant (`pools: { resolve }`).
 *
 * @example
 * ```ts
 * const TENANT_ISSUER = /^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/(eu-west-1_\w+)$/;
 * const pools: PoolResolver = {
 *   resolve: (issuer) => {
 *     const userPoolId = TENANT_ISSUER.exec(issuer)?.[1];
 *     const tenant = userPoolId && tenants.get(userPoolId);
 *     return tenant ? { userPoolId, clientId: tenant.clientId } : undefined;
 *   },
 * };
 * ```
 */
export interface PoolResolver {
  /**
   * The pool whose tokens carry this `iss`, or `undefined` to refuse them. Runs before any key
   * is fetched, synchronously, with an issuer taken from a token not yet verified: look it up,
   * never build a pool from it. The pool must accept this very issuer, or the token is refused.
   */
  readonly resolve: (issuer: string) => PoolConfig | undefined;
  /** Pools whose verifiers and keys are kept; the least recently used go first. Default 100. */
  readonly maxPools?: number | undefined;
}

/** The step that attaches a request's verified ALB user claims to its principal. */
export interface AlbUserClaimsStep {
  /**
   * The principal with the verified `x-amzn-oidc-data` claims added (the token's own claims
   * win), or the principal unchanged when the request has no such header. Throws or rejects
   * with an `AuthError`.
   */
  attach(principal: Principal, request: RequestLike | undefined): Principal | Promise<Principal>;
  /** Fetches of ALB public keys so far. */
  readonly fetchCount: number;
}

/** What the `albUserClaims` option takes: `albUserClaims({ albArn })` from `@cognito-guard/core/alb`. */
export interface AlbUserClaims {
  readonly kind: 'alb-user-claims';
  /** The ALB ARNs, as given. */
  readonly albArns: readonly string[];
  create(config: ResolvedConfig): AlbUserClaimsStep;
}

/** What a telemetry plugin is given of the guard it observes. */
export interface ObservedGuard {
  readonly config: ResolvedConfig;
  /** Verified tokens held in the cache now. */
  cacheSize(): number;
  /** Subscribes to the guard's key fetches. */
  observeKeyFetches(observer: (fetch: JwksFetchEvent) => void): void;
  /** What the `offload` option's workers did so far; `undefined` without the option. */
  offloadStats(): OffloadStats | undefined;
}

/** What the `telemetry` option takes: `openTelemetry()` from `@cognito-guard/core/otel`. */
export interface Telemetry {
  readonly kind: 'telemetry';
  /** Called once per guard; the function it returns is told of every decision. */
  create(guard: ObservedGuard): (decision: Decision) => void;
}

/** What the `offload` option takes: `verifyInWorkers()` from `@cognito-guard/core/offload`. */
export interface Offload {
  readonly kind: 'offload';
  /** Called once per guard, with its settings; throws a `ConfigError` for settings it cannot serve. */
  create(config: ResolvedConfig): OffloadedVerifier;
}

/**
 * A token verified away from the main thread: its payload and the algorithm it was signed with,
 * or `undefined` when the main thread must decide it (a key the workers do not hold yet).
 */
export type OffloadedVerdict =
  | { readonly payload: Record<string, unknown>; readonly algorithm: string }
  | undefined;

/** Verifies tokens away from the main thread, for the token verifier's cache misses. */
export interface OffloadedVerifier {
  /** Rejects with the token's 401, or with a 503 when no answer came. */
  verify(token: string): Promise<OffloadedVerdict>;
  /** Told of every JWKS the main thread fetched. */
  keysFetched(uri: string, jwks: string): void;
  /** Resolves once it can verify. */
  ready(): Promise<void>;
  /** What it did so far. */
  readonly stats: OffloadStats;
}

/** What the `offload` option's workers did with the tokens they were given, since they started. */
export interface OffloadStats {
  /** Tokens a worker decided: verified, or refused with a 401. */
  readonly inWorkers: number;
  /**
   * Tokens the main thread decided: keys the workers did not hold yet, or no worker had finished
   * starting.
   */
  readonly handedBack: number;
  /** Tokens answered 503: their worker stopped or timed out, or none was running. */
  readonly unanswered: number;
}

/** Settings of the verified-token cache. */
export interface CacheConfig {
  /** Most entries kept; the least recently used go first. Default 10,000. */
  readonly maxEntries?: number | undefined;
  /** An entry lives no longer than this, nor past its token's `exp`. Default 300 s. */
  readonly maxAgeSeconds?: number | undefined;
}

/** Settings of JWKS fetching. */
export interface JwksConfig {
  /** Whole-request timeout of one fetch. Default 3,000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Largest JWKS body accepted. Default 256 KiB. */
  readonly maxBytes?: number | undefined;
  /** After a failed fetch, requests fail fast with 503 for this long. Default 5 s. */
  readonly retryAfterSeconds?: number | undefined;
  /** After a refetch that did not contain a token's `kid`, no refetch for this long. Default 10 s. */
  readonly unknownKidCooldownSeconds?: number | undefined;
}

/** Settings of the revocation step (see `memoryRevocationStore`, `@cognito-guard/redis`). */
export interface RevocationConfig {
  /** Where revocations are kept: `memoryRevocationStore()`, `redisRevocationStore({ url })`. */
  readonly store: RevocationStore;
  /**
   * How long the store may go without confirming its list is current (Redis unreachable)
   * before requests are refused with 503. Default 5 s.
   */
  readonly maxStalenessSeconds?: number | undefined;
  /** `'deny'` (default): 503 with `Retry-After` past the staleness bound. `'allow'`: decide on the list as last known. */
  readonly onStoreUnavailable?: 'deny' | 'allow' | undefined;
}

/**
 * Configuration of a guard. Give either `userPoolId` + `clientId` (+ `tokenUse`), or `pools`.
 *
 * @example
 * ```ts
 * const config: GuardConfig = { userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' };
 * ```
 */
export interface GuardConfig {
  /** One pool id, or several sharing `clientId` and `tokenUse`. */
  readonly userPoolId?: string | readonly string[] | undefined;
  readonly clientId?: string | readonly string[] | null | undefined;
  readonly tokenUse?: TokenUseSetting | undefined;
  /** Expected `iss` for a single emulated pool. */
  readonly issuer?: string | undefined;
  readonly jwksUri?: string | undefined;
  /** Replica regions of the pool(s) (see `PoolConfig.replicaRegions`). */
  readonly replicaRegions?: readonly string[] | undefined;
  /** Several pools, each with its own client and token use; or a resolver of pools per issuer. */
  readonly pools?: readonly PoolConfig[] | PoolResolver | undefined;
  /** Accept `http://` issuer and JWKS URLs on hosts other than loopback. Default false. */
  readonly allowInsecureHttp?: boolean | undefined;
  /** Clock skew tolerated on `exp` and `nbf`. Default 0. */
  readonly graceSeconds?: number | undefined;
  /** Accepted signature algorithms. Default `['RS256']`, the only one Cognito uses. */
  readonly algorithms?: readonly SignatureAlgorithm[] | undefined;
  /** Token sources in order. Default `['authorization']`. */
  readonly tokenSources?: readonly TokenSource[] | undefined;
  /**
   * Origins (`https://app.example.com`) whose pages may send any request with a token the
   * browser attaches by itself: a `{ cookie }` source, or `'alb'`. From any other origin's page,
   * one that changes state or a script's read is refused with 403; a link still opens a page.
   * Default none: the app's own origin only.
   */
  readonly trustedOrigins?: readonly string[] | undefined;
  /** Tokens longer than this are refused before any decoding. Default 16 KiB. */
  readonly maxTokenBytes?: number | undefined;
  /** Verified-token cache, or `false` to verify every request. */
  readonly cache?: CacheConfig | false | undefined;
  readonly jwks?: JwksConfig | undefined;
  /** Realm of `WWW-Authenticate` challenges. Default `"api"`. */
  readonly realm?: string | undefined;
  /** Match route-policy paths case-sensitively. Default false, as Express and Koa route. */
  readonly caseSensitivePaths?: boolean | undefined;
  /** Receives every decision, for audit logs. A hook that throws turns an allow into a 403. */
  readonly onDecision?: ((decision: Decision) => void | Promise<void>) | undefined;
  /** Where set-up warnings go (a policy that cannot match under its mount path). Default `console`. */
  readonly logger?: Logger | undefined;
  /** Deny revoked tokens (sign-out, `RevokeToken`) on every instance. Off by default. */
  readonly revocation?: RevocationConfig | undefined;
  /** Verify an ALB's `x-amzn-oidc-data` and expose its claims: `albUserClaims({ albArn })`. */
  readonly albUserClaims?: AlbUserClaims | undefined;
  /** Spans and metrics of every decision and key fetch: `openTelemetry()`. */
  readonly telemetry?: Telemetry | undefined;
  /** Verify tokens not in the cache on worker threads: `verifyInWorkers({ threads })`. */
  readonly offload?: Offload | undefined;
}

/**
 * The logging the guard needs; `console` and pino loggers fit. `warn`: configuration warnings
 * and key-fetch outages. `debug`: each denial's reason with expected and received values, only
 * when `DEBUG` names `cognito-guard` or `COGNITO_GUARD_LOG=debug`.
 */
export interface Logger {
  warn(message: string): void;
  debug?(message: string): void;
}

/** A pool after validation, with its issuers worked out. */
export interface ResolvedPool {
  readonly userPoolId: string;
  readonly clientIds: readonly string[] | null;
  readonly tokenUses: readonly ('access' | 'id')[];
  /** Accepted `iss` values, each with its JWKS URI; the first is the primary one. */
  readonly issuers: readonly { readonly issuer: string; readonly jwksUri: string }[];
}

/** A validated pool resolver (`pools: { resolve }`). */
export interface ResolvedPoolResolver {
  readonly resolve: (issuer: string) => PoolConfig | undefined;
  readonly maxPools: number;
  readonly allowInsecureHttp: boolean;
}

/** A validated configuration with every default filled in. */
export interface ResolvedConfig {
  /** The pools given; empty when they are resolved per issuer. */
  readonly pools: readonly ResolvedPool[];
  /** Set when pools are resolved per issuer (`pools: { resolve }`). */
  readonly poolResolver: ResolvedPoolResolver | undefined;
  readonly graceSeconds: number;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly tokenSources: readonly TokenSource[];
  readonly trustedOrigins: readonly string[];
  readonly maxTokenBytes: number;
  readonly cache: { readonly maxEntries: number; readonly maxAgeSeconds: number } | false;
  readonly jwks: {
    readonly timeoutMs: number;
    readonly maxBytes: number;
    readonly retryAfterSeconds: number;
    readonly unknownKidCooldownSeconds: number;
  };
  readonly realm: string;
  readonly caseSensitivePaths: boolean;
  readonly onDecision: ((decision: Decision) => void | Promise<void>) | undefined;
  readonly logger: Logger;
  readonly revocation: RevocationSettings | undefined;
  readonly albUserClaims: AlbUserClaims | undefined;
  readonly telemetry: Telemetry | undefined;
  readonly offload: Offload | undefined;
}
