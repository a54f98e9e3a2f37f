// `matrix`: a route × caller table of decisions for any policy, every cell decided by the
// guards' real pipeline on a real token from a throw-away local issuer.

import type { RoutePolicy } from '@cognito-guard/core';
import { CliError, EXIT } from '../exit-codes';
import { type Io, printJson } from '../io';
import { withLocalIssuer } from '../local-issuer';
import { compilePolicyFile, readPolicyFile } from '../policy-file';
import { groupsOf, requestFor } from '../policy-routes';

/** Options of {@link matrixCommand}. */
export interface MatrixOptions {
  /** Columns; default every group the policy names. */
  readonly groups?: readonly string[];
  readonly format?: string;
}

const FORMATS = ['text', 'markdown', 'json'];

/**
 * Prints each route's status for no token, a token without groups, and a member of each group.
 *
 * @example
 * ```ts
 * await matrixCommand('examples/policy.json', { format: 'markdown' }, io);
 * ```
 */
export async function matrixCommand(path: string, options: MatrixOptions, io: Io): Promise<number> {
  const format = options.format ?? 'text';
  if (!FORMATS.includes(format)) {
    throw new CliError(
      `--format must be one of ${FORMATS.join(', ')}, got "${format}"`,
      EXIT.usage,
    );
  }
  const policy: RoutePolicy = readPolicyFile(path);
  const groups = options.groups ?? groupsOf(policy);
  const columns = ['no token', 'no groups', ...groups];
  const rows = await withLocalIssuer(async (guard, mint) => {
    const compiled = compilePolicyFile(guard, policy);
    const tokens = [undefined, mint([]), ...groups.map((group) => mint([group]))];
    const out: { route: string; request: string; cells: number[] }[] = [];
    for (const routeKey of Object.keys(policy.routes)) {
      const request = requestFor(routeKey);
      const cells: number[] = [];
      for (const token of tokens) {
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const decision = await guard.checkRoute({ ...request, headers }, compiled);
        cells.push(decision.status);
      }
      out.push({ route: routeKey, request: `${request.method} ${request.path}`, cells });
    }
    return out;
  });
  if (format === 'json') {
    printJson(io, {
      columns,
      rows: rows.map((row) => ({
        route: row.route,
        request: row.request,
        statuses: Object.fromEntries(columns.map((column, i) => [column, row.cells[i]])),
      })),
    });
    return EXIT.ok;
  }
  const table = [
    ['route', ...columns],
    ...rows.map((row) => [row.route, ...row.cells.map(String)]),
  ];
  if (format === 'markdown') {
    const [head = [], ...body] = table;
    io.out(`| ${head.join(' | ')} |`);
    io.out(`|${head.map(() => ' --- ').join('|')}|`);
    for (const line of body) io.out(`| ${line.join(' | ')} |`);
    return EXIT.ok;
  }
  const widths = (table[0] ?? []).map((_, i) =>
    Math.max(...table.map((line) => (line[i] ?? '').length)),
  );
  for (const line of table)
    io.out(
      line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  return EXIT.ok;
}
