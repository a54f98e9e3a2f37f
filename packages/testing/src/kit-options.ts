// The kit's options, checked when a token, an event or a test server is made. Unchecked, a
// misspelt option (`{ group: ['admins'] }`) or a string where a list belongs
// (`{ groups: 'admins' }`, read as the groups a, d, m, i, n and s) made another token than the
// test meant, and a test of a refusal then passed for the wrong reason. The kit cannot use the
// core's option checks: the core's own tests use the kit.

import * as z from 'zod/mini';

/**
 * Checks a kit function's options with a zod/mini `strictObject` schema; throws a `TypeError`
 * naming the function and every bad option. `undefined` reads as no options.
 *
 * @example
 * ```ts
 * checkKitOptions('accessToken', { group: ['admins'] }, tokenOptionsSchema());
 * // TypeError: Invalid accessToken options: group: is not an option (sub, username, groups, …)
 * ```
 */
export function checkKitOptions(fn: string, options: unknown, schema: z.ZodMiniObject): void {
  const parsed = schema.safeParse(options === undefined ? {} : options);
  if (parsed.success) return;
  const names = Object.keys(schema.shape).join(', ');
  const problems = parsed.error.issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${at ? `${at}.` : ''}${key}: is not an option (${names})`);
    }
    return [`${at || '(options)'}: ${problemOf(issue)}`];
  });
  throw new TypeError(`Invalid ${fn} options: ${problems.join('; ')}`);
}

// zod/mini carries no messages ("Invalid input"): the kit words the issues its schemas raise.
function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${issue.expected}`;
  if (issue.code === 'too_small') {
    return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
  }
  return issue.message;
}

// Schemas are built on first use and kept: a bench mints tens of thousands of tokens.
const once = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
};
const optional = z.optional;
/** An optional string option. */
export const text = () => optional(z.string());
/** An optional list of strings. */
export const texts = () => optional(z.array(z.string()));
/** An optional object of any values (claims, header fields). */
export const anyRecord = () => optional(z.record(z.string(), z.unknown()));
/** An optional function (a callback, a port source). */
export const callback = () =>
  optional(
    z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
      message: 'must be a function',
    }),
  );

/** The schema of `accessToken`'s options (`TokenOptions`). */
export const tokenOptionsSchema = once(() =>
  z.strictObject({
    sub: text(),
    username: text(),
    groups: texts(),
    scopes: texts(),
    expiresIn: optional(z.number()),
    notBefore: optional(z.number()),
    clientId: text(),
    issuer: text(),
    kid: text(),
    claims: anyRecord(),
    header: anyRecord(),
    preTokenGeneration: optional(z.object({})),
  }),
);

/**
 * The schema of `clientCredentialsToken`'s options: a machine has no user, sub or groups, and its
 * token always names this issuer.
 */
export const clientCredentialsOptionsSchema = once(() =>
  z.omit(tokenOptionsSchema(), { sub: true, username: true, groups: true, issuer: true }),
);

/** The schema of `idToken`'s options. */
export const idTokenOptionsSchema = once(() =>
  z.extend(tokenOptionsSchema(), {
    email: text(),
    emailVerified: optional(z.boolean()),
    attributes: optional(z.record(z.string(), z.string())),
  }),
);

/** The schema of `createTestIssuer`'s options. */
export const issuerOptionsSchema = once(() =>
  z.strictObject({
    userPoolId: text(),
    clientId: text(),
    tokenUse: optional(z.enum(['access', 'id', 'any'])),
    port: optional(z.int().check(z.nonnegative())),
    signingKey: optional(z.strictObject({ kid: z.string(), privateKeyPem: z.string() })),
  }),
);

/** The schema of `rotateKey`'s options. */
export const rotateKeyOptionsSchema = once(() =>
  z.strictObject({ retireOld: optional(z.boolean()) }),
);

/** The schema of `createAlbSigner`'s options. */
export const albSignerOptionsSchema = once(() => z.strictObject({ albArn: text() }));

/** The schema of an ALB signer's `dataToken` options. */
export const albDataOptionsSchema = once(() =>
  z.strictObject({
    issuer: z.string(),
    clientId: z.string(),
    expiresIn: optional(z.number()),
    signer: text(),
  }),
);

// Each key-server fault, by kind: what it takes beside `kind`.
const FAULTS = {
  status: () => ({ status: z.int() }),
  hang: () => ({}),
  delay: () => ({ ms: z.number().check(z.nonnegative()) }),
  html: () => ({}),
  oversized: () => ({ bytes: z.int().check(z.positive()) }),
  'invalid-keys': () => ({}),
  reset: () => ({}),
} as const;

/**
 * Checks a key-server fault (`undefined` is none): a misspelt kind would leave the key server
 * serving, and a test of an outage would test something else.
 *
 * @example
 * ```ts
 * checkJwksFault({ kind: 'hnag' });
 * // TypeError: Invalid setJwksFault options: kind: must be one of status, hang, delay, …
 * ```
 */
export function checkJwksFault(fault: unknown): void {
  if (fault === undefined) return;
  const kind = (fault as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(FAULTS, kind)) {
    throw new TypeError(
      `Invalid setJwksFault options: kind: must be one of ${Object.keys(FAULTS).join(', ')}`,
    );
  }
  const shape = FAULTS[kind as keyof typeof FAULTS]();
  checkKitOptions('setJwksFault', fault, z.strictObject({ kind: z.literal(kind), ...shape }));
}

/** The schema of `startRedisServer`'s options. */
export const redisServerOptionsSchema = once(() =>
  z.strictObject({
    clusterEnabled: optional(z.boolean()),
    clusterNodeTimeoutMs: optional(z.int().check(z.positive())),
    withoutShardedPubSub: optional(z.boolean()),
  }),
);

/** The schema of `startRedisCluster`'s options: Redis Cluster needs three masters or more. */
export const redisClusterOptionsSchema = once(() =>
  z.strictObject({
    masters: optional(z.int().check(z.gte(3))),
    replicasPerMaster: optional(z.int().check(z.gte(0))),
    nodeTimeoutMs: optional(z.int().check(z.positive())),
    withoutShardedPubSub: optional(z.boolean()),
  }),
);

/** The schema of `startOnFreePort`'s options. */
export const startOnFreePortOptionsSchema = once(() =>
  z.strictObject({ attempts: optional(z.int().check(z.positive())), nextPort: callback() }),
);
