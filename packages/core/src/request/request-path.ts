// Splits a request path into the segments route matching compares, refusing paths whose meaning
// could differ between us, a proxy in front of us and the framework's router.

/** Segments of a canonical path, or why the path is not canonical. */
export type PathSegments =
  | {
      readonly ok: true;
      readonly segments: readonly string[];
      /** The path ended in `/` (which matching otherwise ignores). */
      readonly trailingSlash: boolean;
      /**
       * The decoded segments in the case received: what a case-sensitive router, or API Gateway,
       * matches. The same array as `segments` when folding changed nothing.
       */
      readonly asReceived: readonly string[];
      /** The segments before decoding, when any was percent-encoded: routers match the raw path. */
      readonly undecoded: readonly string[] | undefined;
      /**
       * The decoded path split at every slash, encoded ones (`%2F`) included, in the case
       * received, when a segment held one: how a static file server (serve-static, koa-send)
       * reads the path, which a router reads as one segment.
       */
      readonly separated: readonly string[] | undefined;
    }
  | { readonly ok: false; readonly problem: string };

const NO_SEGMENTS: readonly string[] = Object.freeze([]);

// A control character as such, never percent-encoded: no HTTP server lets one through, but an
// HTTP API hands the function its path decoded (`/ad%09min` as `/ad<TAB>min`), and a URL parser
// (Hono's and Powertools' Lambda bridges build a `Request` from it) drops tabs and line breaks
// anywhere and other controls at the end: `/admin`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is this expression's job.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Splits and decodes a request path for matching.
 *
 * - The query string and fragment are dropped; one trailing slash is ignored, as Express and Koa
 *   routers ignore it.
 * - Each segment is percent-decoded, so `/mo%76ies` matches the `/movies` rule. An encoded slash
 *   stays inside its segment, as it does in Express's router; the path split at it too is kept
 *   beside, because a static file server serves `/admin%2Fsecret.txt` as `/admin/secret.txt`.
 * - The case as received and the undecoded segments are kept beside, because a router may match
 *   by either, and the stricter reading must win.
 * - Empty segments (`//`), dot segments (`.`, `..`, also encoded, or between encoded slashes),
 *   backslashes, control characters as such and broken percent-encoding are refused: a proxy,
 *   a URL parser or a file server may resolve them differently than the router does, and a
 *   matcher that guessed wrong would be more permissive than the router.
 *
 * @example
 * ```ts
 * splitRequestPath('/Movies/42/?x=1', false);
 * // { ok: true, segments: ['movies', '42'], asReceived: ['Movies', '42'], undecoded: undefined, separated: undefined, trailingSlash: true }
 * splitRequestPath('/admin%2Fsecret.txt', false); // { ok: true, …, separated: ['admin', 'secret.txt'] }
 * splitRequestPath('/movies/../admin', false); // { ok: false, problem: 'dot segment' }
 * ```
 */
export function splitRequestPath(path: string, caseSensitive: boolean): PathSegments {
  let pathname = withoutQuery(path);
  if (!pathname.startsWith('/')) return { ok: false, problem: 'path must start with /' };
  if (pathname.includes('\\')) return { ok: false, problem: 'backslash in path' };
  if (CONTROL.test(pathname)) return { ok: false, problem: 'control character in path' };
  if (pathname.includes('//')) return { ok: false, problem: 'empty path segment' };
  const trailingSlash = pathname.length > 1 && pathname.endsWith('/');
  if (trailingSlash) pathname = pathname.slice(0, -1);
  if (pathname === '/') {
    return {
      ok: true,
      segments: NO_SEGMENTS,
      asReceived: NO_SEGMENTS,
      undecoded: undefined,
      separated: undefined,
      trailingSlash: false,
    };
  }
  const raw = pathname.slice(1).split('/');
  const decoded: string[] = [];
  let encoded = false;
  let encodedSlash = false;
  // No part is empty: `//` was refused above and the trailing slash cut off.
  for (const part of raw) {
    let segment = part;
    if (part.includes('%')) {
      encoded = true;
      try {
        segment = decodeURIComponent(part);
      } catch {
        return { ok: false, problem: 'invalid percent-encoding' };
      }
      // Only a decoded segment can hold a slash.
      if (segment.includes('/')) encodedSlash = true;
    }
    if (segment === '.' || segment === '..') return { ok: false, problem: 'dot segment' };
    decoded.push(segment);
  }
  const separated = encodedSlash ? decoded.join('/').split('/') : undefined;
  if (separated?.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { ok: false, problem: 'empty or dot segment between encoded slashes' };
  }
  // The same array when folding changes nothing, so that a policy can tell at a glance that the
  // case-sensitive reading is the same reading.
  const segments = caseSensitive ? decoded : folded(decoded);
  return {
    ok: true,
    segments,
    asReceived: decoded,
    undecoded: encoded ? raw : undefined,
    separated,
    trailingSlash,
  };
}

// The segments folded to lower case, or the same array when none changes.
function folded(segments: string[]): string[] {
  let lowered: string[] | undefined;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as string;
    const lower = lowerCase(segment);
    if (lower !== segment) lowered ??= segments.slice(0, index);
    lowered?.push(lower);
  }
  return lowered ?? segments;
}

/** Folds a segment the way a case-insensitive router compares it. */
export function lowerCase(segment: string): string {
  return segment.toLowerCase();
}

/**
 * The path as find-my-way reads it when it ends paths at the first `;` (Fastify 4 by default,
 * Fastify 5 with `useSemicolonDelimiter`), or `undefined` when the path has no `;` before its
 * query. Every other router here, and API Gateway, reads the `;` as part of its segment.
 *
 * @example
 * ```ts
 * pathBeforeSemicolon('/admin;jsessionid=1?x=1'); // '/admin'
 * pathBeforeSemicolon('/admin?x=;'); // undefined
 * ```
 */
export function pathBeforeSemicolon(path: string): string | undefined {
  // Most paths have no `;` at all: say so before looking for a query.
  if (!path.includes(';')) return undefined;
  const semicolon = withoutQuery(path).indexOf(';');
  return semicolon === -1 ? undefined : path.slice(0, semicolon);
}

/**
 * The path as lambda-api reads it, which trims white space off the end of the path before
 * matching it (`/admin ` is served by `/admin`), or `undefined` when the path does not end in
 * white space before its query. White space arrives as such in an HTTP API's `rawPath`, which
 * API Gateway hands on decoded: the client sent `/admin%20`.
 *
 * @example
 * ```ts
 * pathWithoutTrailingSpace('/admin \t?x=1'); // '/admin'
 * pathWithoutTrailingSpace('/admin?x= '); // undefined
 * ```
 */
export function pathWithoutTrailingSpace(path: string): string | undefined {
  const pathname = withoutQuery(path);
  const last = pathname.charCodeAt(pathname.length - 1);
  // Most paths end in a visible ASCII character: say so before asking what white space is.
  if ((last > 32 && last < 127) || !WHITE_SPACE.test(pathname.charAt(pathname.length - 1))) {
    return undefined;
  }
  return pathname.trimEnd();
}

// One character of what String.prototype.trimEnd removes.
const WHITE_SPACE = /^\s$/;

const NO_SPELLINGS: readonly string[] = Object.freeze([]);

/**
 * The other paths a router may serve a path by, besides the path itself: up to its first `;`
 * ({@link pathBeforeSemicolon}) and without the white space it ends in
 * ({@link pathWithoutTrailingSpace}). Empty (and not allocated) for most paths.
 *
 * @example
 * ```ts
 * otherSpellings('/admin;x'); // ['/admin']
 * otherSpellings('/movies/42'); // []
 * ```
 */
export function otherSpellings(path: string): readonly string[] {
  const cut = pathBeforeSemicolon(path);
  const trimmed = pathWithoutTrailingSpace(path);
  if (cut === undefined && trimmed === undefined) return NO_SPELLINGS;
  return [cut, trimmed].filter((spelling) => spelling !== undefined);
}

// A request target in absolute form: `http://` or `https://` as written, then the authority up
// to the first `/`. Fastify 4's router strips only those: it reads `HTTP://host/admin` as the
// path `/TTP://host/admin` (its first character taken for a `/`), which a catch-all route serves,
// while Express and Koa read `/admin`. Any other scheme, or case, is left for the path checks.
const ABSOLUTE_FORM = /^https?:\/\/([^/]*)/;
// An authority every parser ends at the same `/`: an optional plain user, a host name of labels
// (or an IPv6 literal) and a numeric port. Node's url.parse (Express, Koa) ends a host early at
// `;`, `%`, `?` or another character a label cannot hold, and moves the rest into the path,
// while find-my-way (Fastify) drops everything up to the first `/`.
const PLAIN_AUTHORITY =
  /^(?:[A-Za-z0-9._-]+@)?(?:[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]*)?$/;

/**
 * A request target as the path routers match. HTTP/1.1 servers must accept the absolute form
 * (`GET http://host/admin`), which Node hands on as `req.url` and every router serves as
 * `/admin`; its origin form is read instead. A target routers read differently is returned
 * unchanged, for the path checks to refuse (it does not start with `/`): an authority parsers
 * could end at different places (`http://x?y=/admin`, `/` to Express and `/admin` to Fastify), and
 * a scheme other than `http` or `https` in lower case.
 *
 * @example
 * ```ts
 * originForm('http://example.com:8080/admin?x=1'); // '/admin?x=1'
 * originForm('/admin'); // '/admin'
 * originForm('http://x?y=/admin'); // 'http://x?y=/admin'
 * originForm('HTTP://example.com/admin'); // 'HTTP://example.com/admin'
 * ```
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute === null || !PLAIN_AUTHORITY.test(absolute[1] as string)) return target;
  const rest = target.slice(absolute[0].length);
  return rest === '' ? '/' : rest;
}

/**
 * The full path a router matches once a middleware has rewritten the URL (`req.url = …` in
 * Express, `ctx.url = …` or koa-rewrite in Koa), or `undefined` when it is the path received.
 * `url` is the URL the router now sees below `mountPath` (Express's `req.baseUrl`: `''` at the
 * app's root, the whole mount path below it).
 *
 * @example
 * ```ts
 * rewrittenPath('/v2/admin?x=1', '', '/admin?x=1'); // '/admin?x=1'
 * rewrittenPath('/api/admin', '/api', '/admin'); // undefined: only the mount path was taken off
 * rewrittenPath('/api', '/api', '/'); // undefined: a mount hands its own path down as `/`
 * ```
 */
export function rewrittenPath(
  received: string,
  mountPath: string,
  url: string,
): string | undefined {
  if (received === url && mountPath === '') return undefined;
  const receivedPath = withoutQuery(received);
  const urlPath = withoutQuery(url);
  if (receivedPath === mountPath + urlPath) return undefined;
  // A router mounted at `/api` hands both `/api` and `/api/` down as `/`.
  const mountRoot = mountPath !== '' && urlPath === '/';
  if (mountRoot && receivedPath === mountPath) return undefined;
  return mountRoot ? mountPath + url.slice(1) : mountPath + url;
}

function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  const end = query === -1 || (fragment !== -1 && fragment < query) ? fragment : query;
  return end === -1 ? url : url.slice(0, end);
}

/** A request path relative to a mount path, or why it is not under it. */
export type RelativePath =
  | {
      readonly inside: true;
      /** The rest of the path, starting with `/`. */
      readonly path: string;
      /** The mount path matched only once case was folded. */
      readonly foldedCase: boolean;
    }
  | { readonly inside: false };

/**
 * Strips a mount path (`/api`) from a raw request path, on a segment boundary, as Express's
 * `app.use('/api', router)` and `koa-mount` do: routers compare the raw path, so `/%61pi` is
 * not under `/api`.
 *
 * @example
 * ```ts
 * relativeTo('/api/movies?x=1', '/api', false); // { inside: true, path: '/movies?x=1', foldedCase: false }
 * relativeTo('/apiary', '/api', false); // { inside: false }
 * ```
 */
export function relativeTo(path: string, basePath: string, caseSensitive: boolean): RelativePath {
  const head = path.slice(0, basePath.length);
  const next = path.charAt(basePath.length);
  if (next !== '' && next !== '/' && next !== '?' && next !== '#') return { inside: false };
  const exact = head === basePath;
  if (!exact && (caseSensitive || head.toLowerCase() !== basePath.toLowerCase())) {
    return { inside: false };
  }
  const rest = path.slice(basePath.length);
  return { inside: true, path: rest.startsWith('/') ? rest : `/${rest}`, foldedCase: !exact };
}
