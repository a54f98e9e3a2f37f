// The other methods a request may be served as. A method override (Express's method-override,
// koa-override, Hono's methodOverride) changes the method the router matches after the request
// arrived: mounted after the guard, it would have the guard judge `POST /items` while the app
// runs `DELETE /items`. Route policies therefore read every method the request names, and the
// stricter rule applies, wherever the override sits.

import type { RequestLike } from './extract-token';
import { overrideFieldValues } from './override-fields';
import { rawBodyFields } from './raw-body-fields';

// The conventions overrides read by default: the headers of method-override, koa-override and
// the Google and Microsoft APIs, and the `_method` field of a query or a parsed form body.
const OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'];
const OVERRIDE_FIELD = '_method';
// An HTTP method is an RFC 9110 token; anything else no router would match.
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const NONE: readonly string[] = Object.freeze([]);

/**
 * The methods other than `request.method` that the request names, upper-cased: the method it
 * arrived with when an override ran before the guard (`originalMethod`), and the values of the
 * override headers, of the `_method` query parameter and of a body's `_method` fields (parsed, or
 * raw bytes as a form, JSON or multipart parser would read them: see `rawBodyFields`).
 * Values that are not a method token are left out, as the overrides ignore them too.
 * A Promise only for raw bytes under a Content-Type some parser reads as multipart, whose parts
 * the platform's parser reads asynchronously. Raw bytes the guard cannot read as the app's parser
 * will (a Content-Encoding it cannot undo, a UTF charset it cannot decode, a multipart part
 * parsers read apart) throw, or reject with, a 400 `InvalidRequestError`, with `realm`.
 *
 * @example
 * ```ts
 * const request = { method: 'POST', path: '/items?_method=put', headers: { 'x-http-method-override': 'DELETE' } };
 * otherMethods(request); // ['DELETE', 'PUT']
 * await otherMethods(multipartRequest); // ['DELETE']
 * ```
 */
export function otherMethods(
  request: RequestLike,
  realm?: string,
): readonly string[] | Promise<readonly string[]> {
  const named = namedOutsideBody(request);
  const { body, headers } = request;
  // Bytes no parser has read yet (serverless-http leaves the event's body in `req.body`), or an
  // object a parser made.
  if (body instanceof Uint8Array) {
    const { values, parts } = rawBodyFields(
      body,
      headers['content-type'],
      headers['content-encoding'],
      realm,
    );
    named.push(values);
    if (parts !== undefined)
      return parts.then((more) => methodsIn(request.method, [...named, more]));
  } else if (typeof body === 'object' && body !== null) named.push(bodyField(body));
  return methodsIn(request.method, named);
}

/**
 * {@link otherMethods} less a body's fields: the methods the request's original method, override
 * headers and query name. What a page can name on a request with a safe method, which a browser
 * sends without a body; it leaves the body readers out of a bundle that needs only this.
 *
 * @example
 * ```ts
 * otherMethodsOutsideBody({ method: 'GET', path: '/items?_method=DELETE', headers: {} }); // ['DELETE']
 * ```
 */
export function otherMethodsOutsideBody(request: RequestLike): readonly string[] {
  return methodsIn(request.method, namedOutsideBody(request));
}

function namedOutsideBody(request: RequestLike): unknown[] {
  const named: unknown[] = [request.originalMethod];
  for (const header of OVERRIDE_HEADERS) {
    const value = request.headers[header];
    if (value !== undefined) named.push(value);
  }
  const query = queryOf(request.path);
  if (query !== undefined) named.push(overrideFieldValues(new URLSearchParams(query)));
  return named;
}

function methodsIn(method: string, named: readonly unknown[]): readonly string[] {
  // The common case, nothing named, builds no set and answers the one frozen empty list.
  if (named.every((value) => value === undefined)) return NONE;
  const own = method.toUpperCase();
  const methods = new Set<string>();
  // Several values of one header arrive joined by commas (Node) or as a list (Lambda's
  // multi-value headers); a repeated form field is a list too.
  for (const value of named.flat()) {
    if (typeof value !== 'string') continue;
    for (const part of value.split(',')) {
      const upper = part.trim().toUpperCase();
      if (upper !== own && METHOD_TOKEN.test(upper)) methods.add(upper);
    }
  }
  return methods.size === 0 ? NONE : [...methods];
}

// The query, only when it may hold the field: most requests have none, and parsing costs.
function queryOf(path: string): string | undefined {
  const start = path.indexOf('?');
  if (start === -1) return undefined;
  const end = path.indexOf('#', start);
  const query = end === -1 ? path.slice(start + 1) : path.slice(start + 1, end);
  return query.includes(OVERRIDE_FIELD) || query.includes('%') ? query : undefined;
}

function bodyField(body: object): unknown {
  // A body parser's object may have no prototype, or a getter: read the own field only.
  const field = Object.getOwnPropertyDescriptor(body, OVERRIDE_FIELD);
  return field !== undefined && 'value' in field ? field.value : undefined;
}
