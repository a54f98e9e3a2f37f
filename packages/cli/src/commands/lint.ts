// `lint`: a policy file through start-up's own validation, then the warnings a reviewer would
// raise: routes no request reaches, weak parents of {proxy+} routes, an `allow` default over
// protected routes, group names that look like typos, and keys API Gateway would read differently.

import {
  type CompiledRoutePolicy,
  compileRoutePolicy,
  type RoutePolicy,
  type RuleJson,
} from '@cognito-guard/core';
import { closest, splitRequestPath } from '@cognito-guard/core/advanced';
import { parseRouteKey, ROUTE_METHODS } from '@cognito-guard/core/policy';
import { CliError, EXIT } from '../exit-codes';
import { type Io, paint, printJson } from '../io';
import { walkReadings } from '../lambda-api-walk';
import { readPolicyFile } from '../policy-file';
import { groupsOf } from '../policy-routes';

/**
 * Validates a policy and prints warnings. Exit 0 when valid (1 with `--strict` and warnings),
 * 1 when invalid.
 *
 * @example
 * ```ts
 * const code = await lintCommand('policy.json', { strict: true }, io);
 * ```
 */
export async function lintCommand(
  path: string,
  options: { readonly json?: boolean; readonly strict?: boolean },
  io: Io,
): Promise<number> {
  const policy = readPolicyFile(path);
  try {
    compileRoutePolicy(policy);
  } catch (err) {
    if (options.json) printJson(io, { valid: false, error: (err as Error).message, warnings: [] });
    throw new CliError((err as Error).message, EXIT.refused);
  }
  const warnings = lintWarnings(policy);
  if (options.json) printJson(io, { valid: true, warnings });
  else {
    for (const warning of warnings) io.out(`${paint(io, 'yellow', 'warning')} ${warning}`);
    io.out(`${path}: valid, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
  }
  return options.strict && warnings.length > 0 ? EXIT.refused : EXIT.ok;
}

/**
 * The warnings of a valid policy.
 *
 * @example
 * ```ts
 * lintWarnings({ defaultAction: 'allow', routes: { 'GET /admin': { groups: ['admins'] } } });
 * ```
 */
export function lintWarnings(policy: RoutePolicy): string[] {
  const warnings: string[] = [];
  const routes = Object.entries(policy.routes) as [string, RuleJson][];
  const defaultAction = policy.defaultAction ?? 'deny';
  const fallback = policy.routes['$default'];
  const protectedRoutes = routes.filter(
    ([key, rule]) => key !== '$default' && rule.public !== true,
  );
  const weakDefault = fallback
    ? fallback.public === true || Object.keys(fallback).length === 0
    : defaultAction !== 'deny';
  if (!fallback && defaultAction === 'allow' && protectedRoutes.length > 0) {
    warnings.push(
      `defaultAction "allow" lets every path no route names through without a token, beside ${protectedRoutes.length} protected route(s); a typo in a path is an open door. Prefer "deny" or "authenticated".`,
    );
  }
  const compiled = compileRoutePolicy(policy);
  const sameRule = (first: string, second: string) =>
    JSON.stringify(policy.routes[first]) === JSON.stringify(policy.routes[second]);
  for (const [key, winners] of shadowedRoutes(compiled, Object.keys(policy.routes))) {
    warnings.push(
      `"${key}" is never chosen: the requests it describes go to ${winners.map((w) => `"${w}"`).join(', ')} (the guard's own precedence). Remove it, or narrow the routes that take its requests.`,
    );
  }
  for (const [first, second] of compiled.crossings) {
    if (sameRule(first, second)) continue;
    warnings.push(
      `"${first}" and "${second}" both select ${pathBoth(first, second)}: API Gateway ranks the first, a router that ranks whole routes (fewest parameters first, as Powertools' Router) serves it with the second, so the guards apply both rules there. Give them the same rule, or the path a literal route of its own.`,
    );
  }
  for (const { selected, walked, path, literal } of lambdaApiDetours(policy, compiled)) {
    if (sameRule(selected, walked)) continue;
    warnings.push(
      `lambda-api serves ${path} with "${walked}", where API Gateway selects "${selected}": it takes the literal "${literal}" of another route and never goes back. The guards apply both rules there. Give the two routes the same rule, or such paths a route of their own.`,
    );
  }
  const keys = new Set(routes.map(([key]) => key));
  for (const [key, rule] of routes) {
    const greedy = /^(\w+) (.*)\/\{[^}]+\+\}$/.exec(key);
    if (greedy && rule.public !== true && weakDefault) {
      const [, method, parent = ''] = greedy;
      const parentKey = `${method} ${parent || '/'}`;
      if (!keys.has(parentKey)) {
        warnings.push(
          `"${key}": its parent path "${parent || '/'}" has no route and falls to ${fallback ? '$default' : `defaultAction "${defaultAction}"`}, which is weaker. The guards read it by the stricter of both; API Gateway does not. Add "${parentKey}" with the same rule.`,
        );
      }
    }
    const path = key.split(' ')[1] ?? '';
    if (path.length > 1 && path.endsWith('/')) {
      warnings.push(
        `"${key}": API Gateway route keys have no trailing slash; write "${key.slice(0, -1)}".`,
      );
    }
    if (key !== '$default' && /%[0-9A-Fa-f]{2}/.test(key)) {
      warnings.push(
        `"${key}": a percent-encoded route key; API Gateway matches decoded paths, so write the character itself.`,
      );
    }
  }
  const groups = groupsOf(policy);
  const uses = new Map(groups.map((group) => [group, 0]));
  for (const [, rule] of routes) {
    for (const group of new Set([
      ...(rule.groups ?? []),
      ...(rule.allGroups ?? []),
      ...(rule.denyGroups ?? []),
    ])) {
      uses.set(group, (uses.get(group) ?? 0) + 1);
    }
  }
  for (const [group, count] of uses) {
    if (count !== 1) continue;
    const near = closest(
      group,
      groups.filter((other) => other !== group),
    );
    if (near) warnings.push(`group "${group}" is used once and is close to "${near}": a typo?`);
  }
  return warnings;
}

const SAMPLE = 'cognito-guard-sample';

// A path two crossing route keys both select: each segment the literal either has, else a sample.
function pathBoth(first: string, second: string): string {
  // Keys of a compiled policy parse; their segments as written.
  const segmentsOf = (key: string) => (parseRouteKey(key, true) as { segments: string[] }).segments;
  const [a, b] = [segmentsOf(first), segmentsOf(second)];
  const literal = (segment: string | undefined) =>
    segment !== undefined && !segment.startsWith('{') ? segment : undefined;
  const length = Math.max(a.length, b.length);
  return `/${Array.from({ length }, (_, i) => literal(a[i]) ?? literal(b[i]) ?? SAMPLE).join('/')}`;
}
const METHODS = ROUTE_METHODS.filter((method) => method !== 'ANY');

interface Detour {
  /** The route API Gateway selects. */
  readonly selected: string;
  /** The greedy route lambda-api serves the path with instead. */
  readonly walked: string;
  readonly path: string;
  /** The literal segment lambda-api followed where API Gateway took a parameter. */
  readonly literal: string;
}

// Where lambda-api's walk serves a path API Gateway routes elsewhere: among the paths that follow
// a route's literal segment and then leave its subtree.
function lambdaApiDetours(policy: RoutePolicy, compiled: CompiledRoutePolicy): Detour[] {
  const walkOnly = walkReadings(policy, compiled);
  const detours = new Map<string, Detour>();
  for (const { method, path, literal } of detourSamples(compiled)) {
    const split = splitRequestPath(path, compiled.caseSensitive);
    if (!split.ok) continue;
    const selected = compiled.match(method, split.segments).routeKey;
    if (selected === undefined) continue;
    for (const walked of walkOnly(method, split)) {
      const pair = `${selected}\n${walked}`;
      if (!detours.has(pair)) detours.set(pair, { selected, walked, path, literal });
    }
  }
  return [...detours.values()];
}

// Each route's literal prefixes, parameters filled in, then none to as many further segments as
// the deepest route has, with every method a route key can name (a walk reading depends on it).
function detourSamples(
  compiled: CompiledRoutePolicy,
): { method: string; path: string; literal: string }[] {
  const parsed = compiled.routeKeys
    .filter((key) => key !== '$default')
    .map((key) => parseRouteKey(key, compiled.caseSensitive) as { segments: string[] });
  const depth = Math.max(0, ...parsed.map((route) => route.segments.length));
  const samples: { method: string; path: string; literal: string }[] = [];
  for (const { segments } of parsed) {
    segments.forEach((literal, index) => {
      if (literal.startsWith('{')) return;
      const prefix = segments
        .slice(0, index + 1)
        .map((segment) => (segment.startsWith('{') ? SAMPLE : segment));
      for (let extra = 0; extra + index <= depth; extra++) {
        const path = `/${[...prefix, ...Array<string>(extra).fill(SAMPLE)].join('/')}`;
        for (const method of METHODS) samples.push({ method, path, literal });
      }
    });
  }
  return samples;
}

// Requests a route key describes: each method `ANY` stands for, parameters filled in, a greedy
// remainder of one and of two segments; `$default` gets the root and unnamed paths.
function samplesOf(key: string): { method: string; path: string }[] {
  const [method = 'GET', path = '/'] = key === '$default' ? ['ANY', '/'] : key.split(' ');
  const fill = (remainder: string) =>
    path.replace(/\{[^}]+\+\}/, remainder).replace(/\{[^}]+\}/g, SAMPLE);
  const paths =
    key === '$default'
      ? ['/', `/${SAMPLE}`, `/${SAMPLE}/${SAMPLE}`]
      : [fill(SAMPLE), fill(`${SAMPLE}/${SAMPLE}`)];
  const methods = method === 'ANY' ? METHODS : [method];
  return methods.flatMap((m) => paths.map((p) => ({ method: m, path: p })));
}

// Each route that none of its own requests selects, with the routes that took them: decided by
// the compiled policy's matcher, never by a second copy of the precedence rules.
function shadowedRoutes(
  compiled: CompiledRoutePolicy,
  keys: readonly string[],
): [string, string[]][] {
  const shadowed: [string, string[]][] = [];
  for (const key of keys) {
    const winners = samplesOf(key).map(({ method, path }) => {
      const split = splitRequestPath(path, compiled.caseSensitive);
      return split.ok ? (compiled.match(method, split.segments).routeKey ?? 'defaultAction') : key;
    });
    if (!winners.includes(key)) shadowed.push([key, [...new Set(winners)]]);
  }
  return shadowed;
}
