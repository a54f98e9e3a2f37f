// Route keys as both API Gateway flavours need them: split, their path parameters, whether a
// route is served by API Gateway exactly as the guards read it, and the one pool a native
// authorizer could check.

import type { CompiledRoutePolicy, GuardConfig } from '@cognito-guard/core';
import { resolveConfig, splitRequestPath } from '@cognito-guard/core/advanced';
import { ROUTE_METHODS } from '@cognito-guard/core/policy';
import { readsAuthorizationOnly } from './authorizer-identity';
import type { NativePool } from './protection';

// OpenAPI requires every `{name}` of a path to be declared; `{proxy+}` is declared as `proxy+`.
export function pathParameters(path: string) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

// A route API Gateway serves exactly as the guards read it: literal segments only (no variants
// of other routes reach it), and every request API Gateway sends it is read by the guards as this
// route alone. API Gateway sends an `ANY` route every method without a route of its own, HEAD
// included, where the guards read HEAD by a GET route; and the guards also read a greedy route's
// bare prefix by that route's rule.
export function selfContained(compiled: CompiledRoutePolicy, routeKey: string): boolean {
  if (routeKey === '$default' || routeKey.includes('{')) return false;
  const [method, path] = splitKey(routeKey);
  const split = splitRequestPath(path, compiled.caseSensitive);
  if (!split.ok) return false;
  const methods = method === 'ANY' ? ROUTE_METHODS.filter((m) => m !== 'ANY') : [method];
  return methods.every((m) => {
    if (m !== method && compiled.route(`${m} ${path}`) !== undefined) return true;
    const readings = compiled.readings(m, split);
    return readings.length === 1 && readings[0]?.routeKey === routeKey;
  });
}

export function splitKey(routeKey: string): [string, string] {
  const space = routeKey.indexOf(' ');
  return [routeKey.slice(0, space), routeKey.slice(space + 1)];
}

// A native authorizer can stand for the guard only on a single pool with a known issuer, and
// only where the guard reads tokens from the `Authorization` header alone, as it does.
export function nativePool(config: GuardConfig, arn?: string): NativePool | undefined {
  const resolved = resolveConfig(config);
  if (!readsAuthorizationOnly(resolved.tokenSources)) return undefined;
  const [pool, ...others] = resolved.pools;
  if (pool === undefined || others.length > 0) return undefined;
  const issuer = pool.issuers[0]?.issuer;
  if (issuer === undefined) return undefined;
  return { issuer, clientIds: pool.clientIds, tokenUses: pool.tokenUses, arn };
}
