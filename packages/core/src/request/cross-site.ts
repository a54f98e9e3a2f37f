// A credential the browser attaches by itself (a token cookie, or the session cookie an ALB turns
// into x-amzn-oidc-accesstoken) rides along on requests other sites' pages make: a form posted
// from evil.example carries it as surely as the app's own fetch does. Such a request must not
// change anything, nor hand another origin's script an answer. A state-changing one is told
// apart as Go's CrossOriginProtection tells it: Fetch Metadata (`Sec-Fetch-Site`) where the
// browser sends it, else `Origin` against `Host`; one with neither came from no browser page.
// A safe one passes unless it names an origin that is not the app's: a link another site shows
// must still open a page, but a script of another origin reads an answer only through CORS, which
// the app's CORS settings, not the guard, would then decide. A safe method that names an unsafe
// one (a method override), or opens a WebSocket, a handshake no browser holds to the same-origin
// policy, is a state-changing request.

import { CrossSiteRequestError } from '../errors/errors';
import type { RequestLike } from './extract-token';
import { otherMethodsOutsideBody } from './method-override';
import { headerValueCount } from './raw-headers';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// What `Sec-Fetch-Site` says of a request the page's own origin made, or the user typed.
const OWN = new Set(['same-origin', 'none']);
// A header sent more than once has two readings; this one matches no origin, host or site.
const SEVERAL = '(several values)';

/**
 * Refuses a request that another site's page made, when the token it carries is one the browser
 * sends by itself: a state-changing one, or one that names another origin than the app's
 * (a script's). Answers `undefined` for a request from the page's own origin or from
 * `trustedOrigins`, one no browser page made, and a navigation or embed of another site's page
 * with a safe method.
 *
 * @example
 * ```ts
 * const refusal = crossSiteRefusal(request, ['https://app.example.com'], 'api');
 * if (refusal) throw refusal; // 403, reason cross_site_request
 * ```
 */
export function crossSiteRefusal(
  request: RequestLike,
  trustedOrigins: readonly string[],
  realm: string,
): CrossSiteRequestError | undefined {
  const site = oneValue(request, 'sec-fetch-site');
  const origin = oneValue(request, 'origin');
  // HTTP/2 names the host in `:authority`; Node's compatibility layer leaves `host` out then.
  const host = oneValue(request, 'host') ?? oneValue(request, ':authority');
  if (isOwn(request, site, origin, host, trustedOrigins)) return undefined;
  return new CrossSiteRequestError({
    realm,
    detail: `Sec-Fetch-Site ${site ?? '(none)'}, Origin ${origin ?? '(none)'}, Host ${host ?? '(none)'}`,
  });
}

function isOwn(
  request: RequestLike,
  site: string | undefined,
  origin: string | undefined,
  host: string | undefined,
  trustedOrigins: readonly string[],
): boolean {
  if (origin !== undefined && trustedOrigins.includes(origin)) return true;
  if (site !== undefined && OWN.has(site.toLowerCase())) return true;
  // No Origin: a navigation or an embed when Fetch Metadata says another site, else no page.
  if (origin === undefined) return site === undefined || isSafe(request);
  // An Origin with Fetch Metadata that says another site or origin is that site's script.
  return site === undefined && URL.canParse(origin) && new URL(origin).host === host?.toLowerCase();
}

function isSafe(request: RequestLike): boolean {
  if (request.headers['upgrade'] !== undefined) return false;
  if (request.headers['sec-websocket-key'] !== undefined) return false;
  if (!SAFE_METHODS.has(request.method.toUpperCase())) return false;
  return otherMethodsOutsideBody(request).every((method) => SAFE_METHODS.has(method));
}

// The one value of a header, or SEVERAL for a list of them or repeated raw lines.
function oneValue(request: RequestLike, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  if (headerValueCount(request, name) !== 1) return SEVERAL;
  return typeof value === 'string' ? value : value[0];
}
