// Authorization rules: small, composable checks of a verified principal.

import { ConfigError } from '../config/config-error';
import type { DenyReason } from '../errors/reasons';
import { isPromise } from '../shared/is-promise';
import { type CallerKind, type Principal, provenanceOf } from '../token/principal';
import { compileClaimPath } from './claim-path';

/** Why a rule refused a principal. */
export interface RuleFailure {
  readonly reason: DenyReason;
  /** Scopes that would satisfy the rule, advertised in the 403 challenge. */
  readonly scopes?: readonly string[];
}

/** What checking a rule yields: `undefined` when it is satisfied. */
export type RuleResult = RuleFailure | undefined;

/**
 * A check of a verified principal. Sync rules stay sync, so the hot path allocates no promise.
 *
 * @example
 * ```ts
 * const rule: Rule = requireGroups('movies-group');
 * rule.check(principal); // undefined (allowed) or { reason: 'group_missing' }
 * ```
 */
export interface Rule {
  /** Short text for logs, e.g. `groups any of [movies-group]`. */
  readonly description: string;
  check(principal: Principal): RuleResult | Promise<RuleResult>;
}

/** Names given one by one, as arrays, or both: `requireGroups('a', ['b', 'c'])`. */
export type NameList = string | readonly string[];

/** A custom predicate: return `true` to allow. May be async. */
export type Predicate = (principal: Principal) => boolean | Promise<boolean>;

const ok = undefined;

/**
 * Any-of: the principal must be in at least one of the groups. This is what aws-jwt-verify's
 * `groups` option and API Gateway's scope lists mean.
 *
 * @example
 * ```ts
 * requireGroups('movies-group', 'admins');
 * ```
 */
export function requireGroups(...groups: readonly NameList[]): Rule {
  const wanted = names('requireGroups', groups);
  const failure: RuleFailure = Object.freeze({ reason: 'group_missing' });
  return freezeRule(`groups any of [${wanted.join(', ')}]`, (p) =>
    p.groupsAmbiguous ? AMBIGUOUS : hasAny(p.groups, wanted) ? ok : failure,
  );
}

// Allow-rules on groups fail closed when a comma-joined list could be read more than one way.
const AMBIGUOUS: RuleFailure = Object.freeze({ reason: 'groups_ambiguous' });

/**
 * All-of: the principal must be in every one of the groups.
 *
 * @example
 * ```ts
 * requireAllGroups('admins', 'auditors');
 * ```
 */
export function requireAllGroups(...groups: readonly NameList[]): Rule {
  const wanted = names('requireAllGroups', groups);
  const failure: RuleFailure = Object.freeze({ reason: 'group_missing' });
  return freezeRule(`groups all of [${wanted.join(', ')}]`, (p) =>
    p.groupsAmbiguous
      ? AMBIGUOUS
      : wanted.every((group) => p.groups.includes(group))
        ? ok
        : failure,
  );
}

/**
 * None-of: the principal must be in none of the groups (e.g. `suspended`). When the groups
 * arrived comma-joined and could be read several ways, every reading counts: `"a,b"` is denied
 * by a rule naming `a`, `b` or `a,b`.
 *
 * @example
 * ```ts
 * allOf(requireGroups('movies-group'), denyGroups('suspended'));
 * ```
 */
export function denyGroups(...groups: readonly NameList[]): Rule {
  const unwanted = names('denyGroups', groups);
  const failure: RuleFailure = Object.freeze({ reason: 'group_denied' });
  return freezeRule(`groups none of [${unwanted.join(', ')}]`, (p) =>
    hasAny(p.groups, unwanted) || (p.groupsAmbiguous && anyReading(p.groups, unwanted))
      ? failure
      : ok,
  );
}

/**
 * Any-of over OAuth scopes, as an API Gateway route's authorization scopes.
 *
 * @example
 * ```ts
 * requireScopes('movies/read', 'movies/admin');
 * ```
 */
export function requireScopes(...scopes: readonly NameList[]): Rule {
  const wanted = names('requireScopes', scopes);
  const failure: RuleFailure = Object.freeze({ reason: 'scope_missing', scopes: wanted });
  return freezeRule(`scopes any of [${wanted.join(', ')}]`, (p) =>
    hasAny(p.scopes, wanted) ? ok : failure,
  );
}

/**
 * All-of over OAuth scopes.
 *
 * @example
 * ```ts
 * requireAllScopes('movies/read', 'movies/write');
 * ```
 */
export function requireAllScopes(...scopes: readonly NameList[]): Rule {
  const wanted = names('requireAllScopes', scopes);
  const failure: RuleFailure = Object.freeze({ reason: 'scope_missing', scopes: wanted });
  return freezeRule(`scopes all of [${wanted.join(', ')}]`, (p) =>
    wanted.every((scope) => p.scopes.includes(scope)) ? ok : failure,
  );
}

/**
 * A claim must equal the value, or one of the values. `name` is a top-level claim
 * (`custom:tier`) or a JSON Pointer into a claim holding a JSON object or array (`/tenant/id`),
 * as pre-token generation v2 adds. Array values match if any element does; numbers and booleans
 * compare by their string form (API Gateway sends every claim as a string). With claims from an
 * API Gateway authorizer, a nested path or a value that may be a stringified array or object
 * cannot be read safely, and the rule fails closed (`claims_ambiguous`).
 *
 * @example
 * ```ts
 * requireClaim('custom:tier', ['gold', 'platinum']);
 * requireClaim('/tenant/id', 'acme');
 * ```
 */
export function requireClaim(name: string, valueOrValues: string | readonly string[]): Rule {
  const path = compileClaimPath(name);
  const values = names('requireClaim', [valueOrValues], 'values');
  const failure: RuleFailure = Object.freeze({ reason: 'claim_mismatch' });
  return freezeRule(`claim ${name} in [${values.join(', ')}]`, (p) => {
    const found = path.lookup(p.claims, fromAuthorizer(p));
    if (!('value' in found)) return CLAIMS_AMBIGUOUS;
    const claim = found.value;
    const actual = Array.isArray(claim) ? claim : [claim];
    return actual.some((item) => isScalar(item) && values.includes(String(item))) ? ok : failure;
  });
}

const CLAIMS_AMBIGUOUS: RuleFailure = Object.freeze({ reason: 'claims_ambiguous' });

// Claims an authorizer verified reach us as strings; a verified token's keep their JSON types.
function fromAuthorizer(principal: Principal): boolean {
  return provenanceOf(principal)?.algorithm === undefined;
}

/**
 * The token must be of this kind (`'access'` or `'id'`).
 *
 * @example
 * ```ts
 * requireTokenUse('id');
 * ```
 */
export function requireTokenUse(tokenUse: 'access' | 'id'): Rule {
  if (tokenUse !== 'access' && tokenUse !== 'id') {
    throw new ConfigError('requireTokenUse', [
      { field: 'tokenUse', message: 'must be "access" or "id"' },
    ]);
  }
  const failure: RuleFailure = Object.freeze({ reason: 'token_use_not_allowed' });
  return freezeRule(`token use ${tokenUse}`, (p) => (p.tokenUse === tokenUse ? ok : failure));
}

/**
 * Only machines (`'client'`: client-credentials tokens) or only users (`'user'`) may pass.
 *
 * @example
 * ```ts
 * router.post('/jobs', requireCaller('client'), runJob); // no user token, whatever its scopes
 * ```
 */
export function requireCaller(kind: CallerKind): Rule {
  if (kind !== 'user' && kind !== 'client') {
    throw new ConfigError('requireCaller', [
      { field: 'kind', message: 'must be "user" or "client"' },
    ]);
  }
  const failure: RuleFailure = Object.freeze({ reason: 'caller_not_allowed' });
  return freezeRule(`caller ${kind}`, (p) => (p.kind === kind ? ok : failure));
}

/**
 * A custom rule from a predicate (sync or async). A predicate that throws or rejects denies.
 *
 * @example
 * ```ts
 * predicate((p) => p.claims['custom:tenant'] === 'acme', 'tenant is acme');
 * ```
 */
export function predicate(test: Predicate, description = 'custom predicate'): Rule {
  if (typeof test !== 'function') {
    throw new ConfigError('predicate', [{ field: 'test', message: 'must be a function' }]);
  }
  const failed: RuleFailure = Object.freeze({ reason: 'rule_failed' });
  return freezeRule(description, (p) => {
    const verdict = test(p);
    return isPromise(verdict)
      ? verdict.then((value) => (value === true ? ok : failed))
      : verdict === true
        ? ok
        : failed;
  });
}

/**
 * Allows when at least one of the rules allows; otherwise reports the first failure.
 *
 * @example
 * ```ts
 * anyOf(requireGroups('admins'), requireScopes('movies/admin'));
 * ```
 */
export function anyOf(...rules: readonly (Rule | Predicate)[]): Rule {
  const list = ruleList('anyOf', rules);
  return freezeRule(`any of (${list.map((r) => r.description).join('; ')})`, (p) =>
    combine(list, p, 'any'),
  );
}

/**
 * Allows when every rule allows; reports the first failure.
 *
 * @example
 * ```ts
 * allOf(requireGroups('movies-group'), requireClaim('custom:tier', 'gold'));
 * ```
 */
export function allOf(...rules: readonly (Rule | Predicate)[]): Rule {
  const list = ruleList('allOf', rules);
  return freezeRule(`all of (${list.map((r) => r.description).join('; ')})`, (p) =>
    combine(list, p, 'all'),
  );
}

/**
 * Accepts a rule or a bare predicate, returning a rule.
 *
 * @example
 * ```ts
 * toRule((p) => p.groups.length > 0);
 * ```
 */
export function toRule(rule: Rule | Predicate): Rule {
  if (typeof rule === 'function') return predicate(rule);
  if (rule !== null && typeof rule === 'object' && typeof rule.check === 'function') return rule;
  throw new ConfigError('rule', [
    { field: 'rule', message: 'must be a rule or a predicate function' },
  ]);
}

/** A rule that every verified principal satisfies. */
export const authenticated: Rule = Object.freeze({
  description: 'authenticated',
  check: () => ok,
});

function combine(
  rules: readonly Rule[],
  principal: Principal,
  mode: 'any' | 'all',
): RuleResult | Promise<RuleResult> {
  let firstFailure: RuleFailure | undefined;
  for (let i = 0; i < rules.length; i++) {
    const result = (rules[i] as Rule).check(principal);
    // Stay synchronous until a rule is not: most rule trees never allocate a promise.
    if (isPromise(result)) return combineAsync(result, rules, i, principal, mode, firstFailure);
    if (result === undefined) {
      if (mode === 'any') return ok;
    } else {
      if (mode === 'all') return result;
      firstFailure ??= result;
    }
  }
  // In 'all' mode a failure returned at once, so nothing was recorded: every rule allowed.
  return firstFailure;
}

async function combineAsync(
  pending: Promise<RuleResult>,
  rules: readonly Rule[],
  index: number,
  principal: Principal,
  mode: 'any' | 'all',
  failureSoFar: RuleFailure | undefined,
): Promise<RuleResult> {
  let firstFailure = failureSoFar;
  let result = await pending;
  for (let i = index; ; ) {
    if (result === undefined) {
      if (mode === 'any') return ok;
    } else {
      if (mode === 'all') return result;
      firstFailure ??= result;
    }
    i++;
    if (i >= rules.length) break;
    result = await (rules[i] as Rule).check(principal);
  }
  return firstFailure;
}

function freezeRule(description: string, check: Rule['check']): Rule {
  return Object.freeze({ description, check });
}

// Every run of neighbouring pieces, re-joined: the names a comma-joined list may have meant.
function anyReading(pieces: readonly string[], unwanted: readonly string[]): boolean {
  for (let start = 0; start < pieces.length; start++) {
    let name = pieces[start] as string;
    for (let end = start + 1; end < pieces.length; end++) {
      name = `${name},${pieces[end]}`;
      if (unwanted.includes(name)) return true;
    }
  }
  return false;
}

function hasAny(actual: readonly string[], wanted: readonly string[]): boolean {
  for (const item of actual) if (wanted.includes(item)) return true;
  return false;
}

function names(fn: string, values: readonly unknown[], field = 'arguments'): readonly string[] {
  const flat = values.flat();
  if (flat.length === 0 || flat.some((value) => typeof value !== 'string' || value === '')) {
    throw new ConfigError(fn, [{ field, message: 'must be one or more non-empty strings' }]);
  }
  return Object.freeze(flat as string[]);
}

function ruleList(fn: string, rules: readonly (Rule | Predicate)[]): readonly Rule[] {
  if (rules.length === 0) {
    throw new ConfigError(fn, [{ field: 'rules', message: 'must list at least one rule' }]);
  }
  return rules.map(toRule);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
