// WebSocket upgrades reach Node's `upgrade` event, never Express or Koa middleware, so a guarded
// app can be entered through one. This runs the same pipeline on the upgrade request and answers
// a denial the way every other surface does, in each shape the WebSocket servers expect.

import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import * as z from 'zod/mini';
import { checkOptions } from '../config/check-options';
import { ConfigError } from '../config/config-error';
import type { Decision } from '../decision/decision';
import type { Guard } from '../decision/guard';
import type { CompiledRoutePolicy, RoutePolicy } from '../policy/route-policy';
import { type Predicate, type Rule, toRule } from '../policy/rules';
import { renderDenial } from './adapter';
import { refuseMountedFactory } from './mounted-factory';

/**
 * What an upgrade must satisfy: a rule or a predicate, as `authorize` takes (none: any verified
 * token), or a route policy.
 */
export type UpgradeTarget =
  | { readonly rule?: Rule | Predicate | undefined; readonly policy?: undefined }
  | { readonly policy: RoutePolicy | CompiledRoutePolicy; readonly rule?: undefined };

/** The socket of an `upgrade` event, as far as a denial needs it. */
export interface UpgradeSocket {
  write(chunk: string): unknown;
  destroy(): unknown;
}

/** Node's request with the principal an allowed upgrade carries on. */
export type UpgradeRequest = IncomingMessage & { auth?: unknown };

/** Runs the guard on WebSocket upgrade requests, in the shapes `ws` and socket.io take. */
export interface UpgradeGuard {
  /**
   * Decides one upgrade request. Allowed: the principal is set on `req.auth`. Denied: the
   * socket has been answered with the same status, headers and JSON body as an HTTP request
   * would get, and destroyed.
   */
  handleUpgrade(req: UpgradeRequest, socket: UpgradeSocket): Promise<Decision>;
  /** `ws`'s asynchronous `verifyClient` option. */
  verifyClient(
    info: { readonly req: UpgradeRequest },
    done: (
      allowed: boolean,
      status?: number,
      message?: string,
      headers?: Record<string, string>,
    ) => void,
  ): void;
  /** socket.io's (engine.io's) `allowRequest` option: its handshake and its upgrade. */
  allowRequest(req: UpgradeRequest, done: (error: string | null, allowed: boolean) => void): void;
}

/**
 * Guards WebSocket upgrades with the guard's own pipeline: token extraction, verification, the
 * rule or route policy (an upgrade is a `GET` of its URL), and the same denial on the wire.
 *
 * @example
 * ```ts
 * const upgrades = createUpgradeGuard(guard, { rule: requireGroups('chat-users') });
 * const wss = new WebSocketServer({ server, verifyClient: upgrades.verifyClient });
 * const io = new Server(server, { allowRequest: upgrades.allowRequest });
 * ```
 */
export function createUpgradeGuard(guard: Guard, target?: UpgradeTarget): UpgradeGuard {
  // `verifyClient: createUpgradeGuard` hands it ws's `{ origin, secure, req }`.
  refuseMountedFactory('createUpgradeGuard', guard);
  const { rule, policy } = checkUpgradeTarget(guard, target);

  async function decide(req: UpgradeRequest): Promise<Decision> {
    const request = {
      // Browsers send GET; anything else is checked as what it claims to be.
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    };
    const decision =
      policy === undefined
        ? await guard.check(request, rule)
        : await guard.checkRoute(request, policy);
    if (decision.allowed) req.auth = decision.principal;
    return decision;
  }

  return {
    async handleUpgrade(req, socket) {
      const decision = await decide(req);
      if (!decision.allowed) {
        const denial = renderDenial(decision.error);
        const head = [
          `HTTP/1.1 ${denial.status} ${STATUS_CODES[denial.status] ?? ''}`,
          ...Object.entries(denial.headers).map(([name, value]) => `${name}: ${value}`),
          `Content-Length: ${Buffer.byteLength(denial.body)}`,
          'Connection: close',
        ];
        socket.write(`${head.join('\r\n')}\r\n\r\n${denial.body}`);
        socket.destroy();
      }
      return decision;
    },
    verifyClient(info, done) {
      decide(info.req).then((decision) => {
        if (decision.allowed) return done(true);
        const denial = renderDenial(decision.error);
        done(false, denial.status, STATUS_CODES[denial.status], { ...denial.headers });
      });
    },
    allowRequest(req, done) {
      decide(req).then((decision) => {
        if (decision.allowed) return done(null, true);
        // engine.io answers every refusal 403 `{"code":4,"message":…}`: the message tells the kind.
        done(decision.error.code ?? 'unauthorized', false);
      });
    },
  };
}

// Checked now, at start-up: a wrong guard or rule would otherwise throw inside the first upgrade,
// where `verifyClient` and `allowRequest` have no caller to catch it.
function checkUpgradeTarget(
  guard: Guard,
  target: UpgradeTarget | undefined,
): { rule: Rule | undefined; policy: CompiledRoutePolicy | undefined } {
  const methods = ['check', 'checkRoute', 'compilePolicy'] as const;
  if (!methods.every((name) => typeof (guard as Partial<Guard> | null)?.[name] === 'function')) {
    throw new ConfigError('createUpgradeGuard', [
      {
        field: 'guard',
        message: 'must be a guard: createGuard(config), or cognitoGuard(config).guard',
      },
    ]);
  }
  const schema = z.strictObject({ rule: z.optional(z.unknown()), policy: z.optional(z.unknown()) });
  const { rule, policy } = checkOptions('createUpgradeGuard', target, schema);
  if (rule !== undefined && policy !== undefined) {
    throw new ConfigError('createUpgradeGuard', [
      { field: 'policy', message: 'give `rule` or `policy`, not both' },
    ]);
  }
  if (policy === undefined)
    return { rule: rule === undefined ? undefined : toRule(rule as Rule | Predicate), policy };
  const compiled = isCompiled(policy) ? policy : guard.compilePolicy(policy as RoutePolicy);
  return { rule: undefined, policy: compiled };
}

const isCompiled = (policy: unknown): policy is CompiledRoutePolicy =>
  typeof policy === 'object' && policy !== null && 'readings' in policy;
