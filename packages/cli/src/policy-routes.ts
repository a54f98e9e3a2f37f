// What a policy file names: its groups, and a concrete request each route key describes.

import type { RoutePolicy, RuleJson } from '@cognito-guard/core';

/**
 * Every group a policy's rules name, in order of first appearance.
 *
 * @example
 * ```ts
 * groupsOf({ routes: { 'GET /a': { groups: ['x'] }, 'GET /b': { denyGroups: ['y'] } } }); // ['x', 'y']
 * ```
 */
export function groupsOf(policy: RoutePolicy): string[] {
  const seen = new Set<string>();
  for (const rule of Object.values(policy.routes ?? {}) as RuleJson[]) {
    for (const group of [
      ...(rule.groups ?? []),
      ...(rule.allGroups ?? []),
      ...(rule.denyGroups ?? []),
    ]) {
      seen.add(group);
    }
  }
  return [...seen];
}

/**
 * A request a route key describes: `{param}` and `{proxy+}` become `x`, `ANY` becomes `GET`,
 * and `$default` a path no route is likely to take.
 *
 * @example
 * ```ts
 * requestFor('ANY /admin/{proxy+}'); // { method: 'GET', path: '/admin/x' }
 * ```
 */
export function requestFor(routeKey: string): { method: string; path: string } {
  if (routeKey === '$default') return { method: 'GET', path: '/cognito-guard-matrix/unmatched' };
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return {
    method: method === 'ANY' ? 'GET' : method,
    path: path.replace(/\{[^}]+\}/g, 'x'),
  };
}
