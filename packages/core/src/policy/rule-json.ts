// Rules as JSON-serialisable objects, the form a route policy file uses.

import * as z from 'zod/mini';
import { ConfigError } from '../config/config-error';
import { issuesOf } from '../config/zod-issues';
import { builtOnce } from '../shared/built-once';
import {
  allOf,
  authenticated,
  denyGroups,
  type Rule,
  requireAllGroups,
  requireAllScopes,
  requireCaller,
  requireClaim,
  requireGroups,
  requireScopes,
  requireTokenUse,
} from './rules';

/**
 * A rule as data. Every listed condition must hold; an empty object means "any verified token".
 *
 * @example
 * ```ts
 * const rule: RuleJson = { groups: ['movies-group'], denyGroups: ['suspended'], claims: { 'custom:tier': ['gold'] } };
 * ```
 */
export interface RuleJson {
  /** Allow without a token. Exclusive: nothing else may be set beside it. */
  readonly public?: boolean | undefined;
  /** Any of these groups. */
  readonly groups?: readonly string[] | undefined;
  /** All of these groups. */
  readonly allGroups?: readonly string[] | undefined;
  /** None of these groups. */
  readonly denyGroups?: readonly string[] | undefined;
  /** Any of these scopes. */
  readonly scopes?: readonly string[] | undefined;
  /** All of these scopes. */
  readonly allScopes?: readonly string[] | undefined;
  /** The token kind required. */
  readonly tokenUse?: 'access' | 'id' | undefined;
  /** Only machines (`'client'`, client-credentials tokens) or only users (`'user'`). */
  readonly caller?: 'user' | 'client' | undefined;
  /** Each claim must equal the value or one of the values. */
  readonly claims?: Readonly<Record<string, string | readonly string[]>> | undefined;
}

// Pure-annotated so that a bundle that never reads a rule from JSON drops them: esbuild cannot
// tell that a call is free of side effects.
const names = /* @__PURE__ */ builtOnce(() =>
  z
    .array(z.string().check(z.minLength(1, 'must not be empty')))
    .check(z.minLength(1, 'must list at least one name')),
);

/** Builds, on first use, the zod schema of {@link RuleJson}. */
export const ruleSchema = /* @__PURE__ */ builtOnce(() =>
  z
    .strictObject({
      public: z.optional(z.boolean()),
      groups: z.optional(names()),
      allGroups: z.optional(names()),
      denyGroups: z.optional(names()),
      scopes: z.optional(names()),
      allScopes: z.optional(names()),
      tokenUse: z.optional(z.enum(['access', 'id'])),
      caller: z.optional(z.enum(['user', 'client'])),
      claims: z.optional(
        z.record(
          z.string().check(z.minLength(1)),
          z.union([z.string().check(z.minLength(1, 'must not be empty')), names()]),
        ),
      ),
    })
    .check(
      z.refine(
        (rule) => rule.public !== true || Object.keys(rule).every((key) => key === 'public'),
        {
          message: 'a public rule may not list conditions: it is never checked',
          path: ['public'],
        },
      ),
    ),
);

/**
 * zod schema of {@link RuleJson}; strict, so a typo such as `group` fails at start-up. Built when
 * this export is imported; the guards build theirs on first use.
 *
 * @example
 * ```ts
 * ruleJsonSchema.safeParse({ group: ['admins'] }).success; // false: `group` is not an option
 * ```
 */
export const ruleJsonSchema = /* @__PURE__ */ ruleSchema();

/**
 * Compiles a JSON rule into a {@link Rule}. A public rule compiles to `undefined`: it needs no
 * token at all. Throws a {@link ConfigError} naming every bad field.
 *
 * @example
 * ```ts
 * const rule = ruleFromJson({ groups: ['movies-group'] });
 * ```
 */
export function ruleFromJson(json: RuleJson, subject = 'rule'): Rule | undefined {
  const parsed = ruleSchema().safeParse(json, { reportInput: true });
  if (!parsed.success) throw new ConfigError(subject, issuesOf(parsed.error));
  return compileParsedRule(parsed.data);
}

/**
 * Compiles a JSON rule, checking it first as {@link ruleFromJson} does: a rule from
 * `ruleJsonSchema.parse` passes unchanged, and anything else a `ConfigError` names. Unchecked,
 * `{ groups: 'admins' }` (a string, not a list) would have read as the groups a, d, m, i, n, s.
 *
 * @example
 * ```ts
 * const rule = compileRule(ruleJsonSchema.parse({ groups: ['admins'], denyGroups: ['suspended'] }));
 * ```
 */
export function compileRule(rule: z.infer<ReturnType<typeof ruleSchema>>): Rule | undefined {
  return ruleFromJson(rule);
}

/**
 * Compiles a rule {@link ruleSchema} parsed (a route policy's, say); `undefined` for a public rule.
 *
 * @example
 * ```ts
 * const rule = compileParsedRule(ruleSchema().parse({ groups: ['admins'] }));
 * ```
 */
export function compileParsedRule(rule: z.infer<ReturnType<typeof ruleSchema>>): Rule | undefined {
  if (rule.public === true) return undefined;
  const parts: Rule[] = [];
  if (rule.tokenUse) parts.push(requireTokenUse(rule.tokenUse));
  if (rule.caller) parts.push(requireCaller(rule.caller));
  if (rule.denyGroups) parts.push(denyGroups(...rule.denyGroups));
  if (rule.groups) parts.push(requireGroups(...rule.groups));
  if (rule.allGroups) parts.push(requireAllGroups(...rule.allGroups));
  if (rule.scopes) parts.push(requireScopes(...rule.scopes));
  if (rule.allScopes) parts.push(requireAllScopes(...rule.allScopes));
  for (const [name, value] of Object.entries(rule.claims ?? {})) {
    parts.push(requireClaim(name, value));
  }
  if (parts.length === 0) return authenticated;
  return parts.length === 1 ? parts[0] : allOf(...parts);
}
