// `explain`: API Gateway's console "Test" button for a route policy. Which route key matched and
// why it beat the others, which rule applied, and the decision exactly as the guards answer it.

import {
  type CompiledRoutePolicy,
  compileRoutePolicy,
  type Decision,
  type Guard,
  type GuardConfig,
  type RoutePolicy,
} from '@cognito-guard/core';
import { renderDenial } from '@cognito-guard/core/adapter';
import { otherMethods, otherSpellings, splitRequestPath } from '@cognito-guard/core/advanced';
import { type CachedPolicy, cachedPolicy } from '../cached-policy';
import { CliError, EXIT } from '../exit-codes';
import type { PoolFlags } from '../guard-config';
import { guardFor } from '../guard-for';
import { type Io, paint, printJson } from '../io';
import { walkReadings } from '../lambda-api-walk';
import { withLocalIssuer } from '../local-issuer';
import { compilePolicyFile, readPolicyFile } from '../policy-file';
import { readToken } from '../token-input';

/** Options of {@link explainCommand}. */
export interface ExplainOptions extends PoolFlags {
  readonly policy: string;
  readonly method: string;
  readonly path: string;
  /** A real token, verified as the guards would (pool flags or environment). */
  readonly token?: string;
  /** Or a caller with these groups and scopes, on a throw-away local issuer. */
  readonly groups?: readonly string[];
  readonly scopes?: readonly string[];
  /** Further request headers, `Name: value` (an `X-HTTP-Method-Override`, say). */
  readonly header?: readonly string[];
  readonly json?: boolean;
}

const PRECEDENCE =
  'segment by segment a literal beats {param}, which beats {proxy+}; a named method beats ANY; $default and defaultAction catch the rest';

/**
 * Explains the decision for one request against a policy file.
 *
 * @example
 * ```ts
 * await explainCommand({ policy: 'policy.json', method: 'GET', path: '/movies/42', groups: ['movies-group'] }, io);
 * ```
 */
export async function explainCommand(options: ExplainOptions, io: Io): Promise<number> {
  const policy = readPolicyFile(options.policy);
  if (options.token !== undefined && (options.groups || options.scopes)) {
    throw new CliError('give --token, or --groups/--scopes, not both', EXIT.usage);
  }
  const given = headerMap(options.header ?? []);
  const run = async (guard: Guard, config: GuardConfig, token: string | undefined) => {
    const compiled = compilePolicyFile(guard, policy);
    const headers = token ? { ...given, authorization: `Bearer ${token}` } : given;
    const request = { method: options.method, path: options.path, headers };
    const decision = await guard.checkRoute(request, compiled);
    const authorizer = await cachedPolicy(config, policy, options.method, options.path, token);
    const named = (await otherMethods(request)).map((method) => ({
      method,
      route: routeName(guard.routeRule(compiled, method, options.path), compiled),
    }));
    return report(options, policy, compiled, guard, { decision, authorizer, named }, io);
  };
  if (options.token !== undefined) {
    const token = await readToken(options.token, io);
    const { guard, config } = guardFor(options, io);
    return run(guard, config, token);
  }
  const caller = options.groups || options.scopes ? true : undefined;
  return withLocalIssuer((guard, mint, config) =>
    run(guard, config, caller && mint(options.groups ?? [], options.scopes ?? [])),
  );
}

interface Answers {
  readonly decision: Decision;
  readonly authorizer: CachedPolicy;
  /** The other methods the request names (a method override), and the route each reads as. */
  readonly named: readonly { readonly method: string; readonly route: string }[];
}

// `Name: value` pairs as the guards see headers: lower-cased names, a repeated one as a list.
function headerMap(pairs: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const colon = pair.indexOf(':');
    if (colon < 1) throw new CliError(`--header "${pair}" is not "Name: value"`, EXIT.usage);
    const name = pair.slice(0, colon).trim().toLowerCase();
    const value = pair.slice(colon + 1).trim();
    const before = headers[name];
    headers[name] = before === undefined ? value : [before, value].flat();
  }
  return headers;
}

function routeName(chosen: ReturnType<Guard['routeRule']>, compiled: CompiledRoutePolicy) {
  if (!('rule' in chosen)) return `path refused (${chosen.description})`;
  return chosen.route ?? `no route (defaultAction "${compiled.defaultAction}")`;
}

function report(
  options: ExplainOptions,
  policy: RoutePolicy,
  compiled: CompiledRoutePolicy,
  guard: Guard,
  { decision, authorizer, named }: Answers,
  io: Io,
): number {
  const chosen = guard.routeRule(compiled, options.method, options.path);
  const route = 'rule' in chosen ? chosen : undefined;
  const candidates = coveringRoutes(policy, compiled, options.method, options.path);
  const readings = alsoReadAs(compiled, options.method, options.path);
  const split = splitRequestPath(options.path, compiled.caseSensitive);
  const walked = split.ok ? walkReadings(policy, compiled)(options.method, split) : [];
  const denial = decision.allowed ? undefined : renderDenial(decision.error);
  const result = {
    request: `${options.method.toUpperCase()} ${options.path}`,
    route: decision.route ?? null,
    defaultAction: decision.route === undefined ? compiled.defaultAction : null,
    candidates,
    precedence: PRECEDENCE,
    alsoReadAs: readings,
    lambdaApiWalk: walked,
    otherMethods: named,
    rule: route ? (route.rule?.description ?? 'public (no token needed)') : null,
    decision: {
      allowed: decision.allowed,
      status: decision.status,
      reason: decision.reason,
      headers: denial?.headers ?? {},
      body: denial?.body ?? null,
    },
    authorizer,
  };
  if (options.json) printJson(io, result);
  else {
    io.out(`request: ${result.request}`);
    io.out(
      `route: ${result.route ?? `no route matched, defaultAction "${compiled.defaultAction}"`}`,
    );
    if (candidates.length > 1) {
      io.out(
        `  other routes covering it: ${candidates.filter((c) => c !== result.route).join(', ')}`,
      );
      io.out(`  why: ${PRECEDENCE}`);
    }
    if (readings.length > 0) {
      io.out(`  also read as: ${readings.join(', ')} (the stricter reading decides)`);
    }
    if (walked.length > 0) {
      io.out(
        `  lambda-api serves it with ${walked.join(', ')}: it never goes back from a literal segment. The authorizer's IAM policy cannot say so: behind one, wrap a lambda-api handler in guardRoutes.`,
      );
    }
    for (const { method, route: other } of named) {
      io.out(
        `  the request also names ${method} (a method override): ${other}, the stricter decides`,
      );
    }
    if (result.rule) io.out(`rule: ${result.rule}`);
    if (!route && 'status' in chosen) io.out(`path refused: ${chosen.description}`);
    const verdict = decision.allowed ? paint(io, 'green', 'allowed') : paint(io, 'red', 'denied');
    io.out(`decision: ${verdict} ${decision.status} (${decision.reason})`);
    for (const [name, value] of Object.entries(result.decision.headers))
      io.out(`${name}: ${value}`);
    if (denial) io.out(`body: ${denial.body}`);
    printAuthorizer(io, authorizer);
  }
  if (decision.status === 503) return EXIT.unavailable;
  return decision.allowed ? EXIT.ok : EXIT.refused;
}

// Each route that would serve this request on its own, the selected one first: the guard's own
// matcher on one-route policies, never a second copy of the precedence rules.
function coveringRoutes(
  policy: RoutePolicy,
  compiled: CompiledRoutePolicy,
  method: string,
  path: string,
): string[] {
  const split = splitRequestPath(path, compiled.caseSensitive);
  if (!split.ok) return [];
  const selected = compiled.match(method, split.segments).routeKey;
  const covering = Object.keys(policy.routes).filter((key) => {
    if (key === '$default') return true;
    const alone = compileRoutePolicy(
      { routes: { [key]: {} } },
      { caseSensitive: compiled.caseSensitive },
    );
    return alone.match(method, split.segments).routeKey === key;
  });
  return selected === undefined
    ? covering
    : [selected, ...covering.filter((key) => key !== selected)];
}

// Every reading after the selected route's, the path's other spellings included (see the
// guard's chooseRoute), each once.
function alsoReadAs(compiled: CompiledRoutePolicy, method: string, path: string): string[] {
  const readings = [path, ...otherSpellings(path)].flatMap((spelling) => {
    const split = splitRequestPath(spelling, compiled.caseSensitive);
    return split.ok ? compiled.readings(method, split) : [];
  });
  return [...new Set(readings)]
    .slice(1)
    .map((reading) => reading.routeKey ?? `no route (defaultAction "${compiled.defaultAction}")`);
}

function printAuthorizer(io: Io, answer: CachedPolicy): void {
  if ('refused' in answer) {
    io.out(`authorizer: throws "${answer.refused}" (API Gateway answers ${answer.status})`);
    return;
  }
  io.out('authorizer: IAM policy, cached per token and replayed on every route it matches');
  for (const { Effect, Resource } of answer.statements) {
    for (const resource of Resource) io.out(`  ${Effect.padEnd(5)} ${resource}`);
  }
}
