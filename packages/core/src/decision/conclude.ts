// Steps 4–5 of a request's path: the rule (policy/rules), then the decision. Every 403 is decided
// here. The client learns only the kind of failure (and, per RFC 6750, the scopes that would
// do); the rule itself goes to onDecision and the operator's logs.

import { type AuthError, InsufficientScopeError } from '../errors/errors';
import type { Rule, RuleResult } from '../policy/rules';
import { isPromise } from '../shared/is-promise';
import type { Principal } from '../token/principal';
import {
  allowDecision,
  type Decision,
  type DecisionContext,
  denyDecision,
  type Pending,
} from './decision';

/**
 * Applies the rule (none: any verified caller) and decides. A rule that throws or rejects
 * denies with a 403 too.
 *
 * @example
 * ```ts
 * const decision = await evaluateRule('api', context, requireGroups('admins'), principal);
 * ```
 */
export function evaluateRule(
  realm: string,
  context: DecisionContext,
  rule: Rule | undefined,
  principal: Principal,
): Pending {
  let verdict: RuleResult | Promise<RuleResult>;
  try {
    verdict = rule === undefined ? undefined : rule.check(principal);
  } catch (err) {
    return denyDecision(ruleError(realm, err), principal, context);
  }
  if (!isPromise(verdict)) return conclude(realm, context, principal, verdict, rule);
  return verdict.then(
    (failure) => conclude(realm, context, principal, failure, rule),
    (err: unknown) => denyDecision(ruleError(realm, err), principal, context),
  );
}

/**
 * The decision for a rule's verdict: allowed, or the 403.
 *
 * @example
 * ```ts
 * conclude('api', context, principal, { reason: 'group_missing' }, rule).status; // 403
 * ```
 */
export function conclude(
  realm: string,
  context: DecisionContext,
  principal: Principal,
  failure: RuleResult,
  rule: Rule | undefined,
): Decision {
  if (failure === undefined) return allowDecision('rule_satisfied', principal, context);
  return denyDecision(
    new InsufficientScopeError({
      reason: failure.reason,
      scopes: failure.scopes,
      description: 'The token does not grant access to this resource',
      detail: `rule ${rule?.description ?? '(none)'}`,
      realm,
    }),
    principal,
    context,
  );
}

function ruleError(realm: string, err: unknown): AuthError {
  return new InsufficientScopeError({
    reason: 'rule_error',
    description: 'The authorization rule could not be evaluated',
    realm,
    cause: err,
  });
}
