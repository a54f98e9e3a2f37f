// Recognises the HTTP event sources a Lambda can sit behind and reads each into the core's
// framework-neutral request. An event of any other shape is refused, never read with defaults.

import { type HeaderMap, InvalidRequestError, type RequestLike } from '@cognito-guard/core';
import { selectedRouteKey } from '@cognito-guard/core/adapter';
import { DEFAULT_REALM } from '@cognito-guard/core/advanced';

/** The HTTP event sources the guard understands. */
export type EventSource = 'rest' | 'http' | 'alb' | 'function-url' | 'vpc-lattice';

// VPC Lattice (event structure V2) sends every header and query value as a list.
type Headers = Readonly<Record<string, string | readonly string[] | undefined>> | null | undefined;
type MultiHeaders = Readonly<Record<string, readonly string[] | undefined>> | null | undefined;

/**
 * The fields of API Gateway (REST payload 1.0, HTTP API 2.0), ALB, Function URL and VPC Lattice
 * (event structure V2) events that the guard reads. Every real event of those sources is
 * assignable to it.
 */
export interface HttpEventLike {
  readonly version?: string;
  readonly httpMethod?: string;
  /** VPC Lattice: the method. */
  readonly method?: string;
  readonly path?: string;
  readonly rawPath?: string;
  readonly routeKey?: string;
  /** REST (and HTTP API payload 1.0): the resource API Gateway selected, `/movies/{id}`. */
  readonly resource?: string;
  readonly headers?: Headers;
  readonly multiValueHeaders?: MultiHeaders;
  /** HTTP API 2.0 and Function URLs: the query string as received. */
  readonly rawQueryString?: string;
  readonly queryStringParameters?: Headers;
  readonly multiValueQueryStringParameters?: MultiHeaders;
  readonly cookies?: readonly string[] | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: {
    readonly elb?: unknown;
    readonly stage?: string;
    /** REST and HTTP API payload 1.0: the resource selected, as `resource`. */
    readonly resourcePath?: string;
    readonly domainName?: string;
    readonly http?: { readonly method?: string; readonly path?: string };
    readonly authorizer?: unknown;
    /** VPC Lattice: the service the request was sent to. */
    readonly serviceArn?: string;
  } | null;
}

/** An event read into the core's request shape, with what is needed to answer it. */
export interface ReadEvent {
  readonly source: EventSource;
  readonly request: RequestLike;
  /** ALB only: the target group has multi-value headers on, so answers must use them too. */
  readonly multiValue: boolean;
}

/**
 * Tells which source sent an event.
 *
 * @example
 * ```ts
 * detectSource(event); // 'rest' | 'http' | 'alb' | 'function-url' | 'vpc-lattice'
 * ```
 */
export function detectSource(event: HttpEventLike | null | undefined): EventSource {
  const context = event?.requestContext;
  if (context?.elb !== undefined) return 'alb';
  if (context?.serviceArn !== undefined) return 'vpc-lattice';
  if (event?.version === '2.0') {
    const domain = context?.domainName;
    return typeof domain === 'string' && domain.includes('.lambda-url.') ? 'function-url' : 'http';
  }
  return 'rest';
}

/**
 * Reads an HTTP event into a core request: method, path with its query, and lower-cased
 * headers. Several values of one header (multi-value headers, or the same name in two cases) are
 * all kept, so that two `Authorization` values are refused rather than "first one wins".
 *
 * Throws a 400 `InvalidRequestError` (`request_unreadable`) for an event without a method and a
 * path where its source puts them (another service's event, a hand-made one): read with defaults,
 * a `POST /admin` from a source the guard does not know would be judged as `GET /`. The error
 * challenges with `realm`.
 *
 * @example
 * ```ts
 * const { request, source } = readEvent(event);
 * const decision = await guard.check(request, rule);
 * ```
 */
export function readEvent(event: HttpEventLike, realm = DEFAULT_REALM): ReadEvent {
  if (typeof event !== 'object' || event === null) {
    throw unreadable('fields', realm);
  }
  const source = detectSource(event);
  const method = methodOf(event, source, realm);
  const path = pathOf(event, source, realm);
  const query = queryOf(event, source, realm);
  const unstaged = source === 'rest' ? withoutStage(event, path) : undefined;
  return {
    source,
    multiValue: source === 'alb' && event.multiValueHeaders != null,
    request: {
      method,
      path: path + query,
      ...(unstaged === undefined ? {} : { routedUrl: unstaged + query }),
      routeKey: selectedRouteKey(event),
      headers: readHeaders(event, realm),
    },
  };
}

/**
 * What a rule guard reads of an event: the caller, from its headers. A rule decides on the caller
 * alone, so an event that is not an HTTP request of a known source (a WebSocket API's `$connect`,
 * a hand-made `{ headers }` in a unit test) is read too, with `-` for the method and path it does
 * not have; they only label the decision's record. Only an event that is not an object is a 400.
 *
 * @example
 * ```ts
 * readCaller({ headers: { Authorization: `Bearer ${token}` } }).request.headers.authorization;
 * ```
 */
export function readCaller(event: HttpEventLike, realm = DEFAULT_REALM): ReadEvent {
  try {
    return readEvent(event, realm);
  } catch (err) {
    if (typeof event !== 'object' || event === null) throw err;
  }
  const request = { method: '-', path: '-', headers: readHeaders(event, realm) };
  return { source: detectSource(event), multiValue: false, request };
}

/**
 * An event's headers, lower-cased, with its cookies: several values of one header (multi-value
 * headers, or one name in two cases) all kept, as a list.
 *
 * @example
 * ```ts
 * readHeaders({ headers: { Authorization: 'Bearer eyJ…' } }); // { authorization: 'Bearer eyJ…' }
 * ```
 */
export function readHeaders(
  event: Pick<HttpEventLike, 'headers' | 'multiValueHeaders' | 'cookies'>,
  realm = DEFAULT_REALM,
): HeaderMap {
  const headers: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    headers[key] = [...(headers[key] ?? []), value];
  };
  // REST sends both maps, and the multi-value one is complete; ALB sends one or the other.
  const field = event.multiValueHeaders != null ? 'multiValueHeaders' : 'headers';
  for (const [name, value] of pairsIn(event[field], field, realm)) add(name, value);
  const cookies = pairsIn({ cookie: event.cookies }, 'cookies', realm);
  if (cookies.length > 0) add('cookie', cookies.map(([, cookie]) => cookie).join('; '));
  return Object.fromEntries(
    Object.entries(headers).map(([name, values]) => [
      name,
      values.length === 1 ? values[0] : values,
    ]),
  );
}

// The query, which route policies read for a `_method` parameter (a method override the wrapped
// app may apply). HTTP APIs and Function URLs keep it as received; REST decodes the values, so
// they are encoded again; ALB passes them on undecoded. VPC Lattice is read as ALB is: values
// that arrive decoded and hold `&` or `=` then read as more pairs, more readings rather than fewer.
function queryOf(event: HttpEventLike, source: EventSource, realm: string): string {
  if (isPayloadV2(source)) {
    const raw: unknown = event.rawQueryString ?? '';
    if (typeof raw !== 'string') throw unreadable('readable rawQueryString', realm);
    return raw === '' ? '' : `?${raw}`;
  }
  const field =
    event.multiValueQueryStringParameters != null
      ? 'multiValueQueryStringParameters'
      : 'queryStringParameters';
  const pairs = pairsIn(event[field], field, realm);
  if (pairs.length === 0) return '';
  if (source === 'alb' || source === 'vpc-lattice')
    return `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`;
  return `?${new URLSearchParams(pairs).toString()}`;
}

// An HTTP method is an RFC 9110 token.
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function methodOf(event: HttpEventLike, source: EventSource, realm: string): string {
  const [method, field] =
    source === 'vpc-lattice'
      ? [event.method, 'method']
      : isPayloadV2(source)
        ? [event.requestContext?.http?.method, 'requestContext.http.method']
        : [event.httpMethod, 'httpMethod'];
  if (typeof method === 'string' && METHOD.test(method)) return method;
  throw unreadable(`HTTP method (${field})`, realm);
}

function pathOf(event: HttpEventLike, source: EventSource, realm: string): string {
  const v2 = isPayloadV2(source);
  const raw = v2 ? (event.rawPath ?? event.requestContext?.http?.path) : event.path;
  if (typeof raw !== 'string' || !raw.startsWith('/')) {
    throw unreadable(`path (${v2 ? 'rawPath' : 'path'})`, realm);
  }
  // HTTP APIs put a named stage in front of the path, in either payload (payload 1.0 is the one
  // with `version: '1.0'`; a REST event has no version); route keys never contain it.
  const httpApi = source === 'http' || (source === 'rest' && event.version === '1.0');
  const stage = namedStage(event);
  if (httpApi && stage !== undefined && raw.startsWith(`/${stage}/`)) {
    return raw.slice(stage.length + 1);
  }
  return raw;
}

// A REST API's path never holds the stage, unless the client put it there (`/prod/prod/admin`
// sends `/prod/admin`) or a custom domain's base path is named as the stage. @fastify/aws-lambda
// strips it then, when the resource selected does not begin with it, so its app serves
// `/prod/admin` as `/admin`: that is another path the request may be served by.
function withoutStage(event: HttpEventLike, path: string): string | undefined {
  if (event.version !== undefined) return undefined;
  const stage = namedStage(event);
  if (stage === undefined || !path.startsWith(`/${stage}/`)) return undefined;
  const resource = event.requestContext?.resourcePath;
  if (typeof resource === 'string' && resource.startsWith(`/${stage}/`)) return undefined;
  return path.slice(stage.length + 1);
}

function namedStage(event: HttpEventLike): string | undefined {
  const stage = event.requestContext?.stage;
  return typeof stage === 'string' && stage && stage !== '$default' ? stage : undefined;
}

/**
 * Whether a source sends payload 2.0 (HTTP APIs and Function URLs): the method and path in
 * `requestContext.http` and `rawPath`, and a result without a status code answered as 200 JSON.
 *
 * @example
 * ```ts
 * isPayloadV2(detectSource(event)); // true for an HTTP API event
 * ```
 */
export const isPayloadV2 = (source: EventSource): boolean =>
  source === 'http' || source === 'function-url';

// API Gateway, ALB, Function URLs and VPC Lattice send header, query and cookie values as strings
// or lists of strings, in maps; a missing value may be null. Anything else is not an HTTP event,
// and is refused rather than skipped: a value skipped could be a second Authorization header, or
// the method override that makes a decision stricter.
function pairsIn(map: unknown, field: string, realm: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (map === undefined || map === null) return pairs;
  if (typeof map !== 'object' || Array.isArray(map)) throw unreadable(`readable ${field}`, realm);
  for (const [name, values] of Object.entries(map)) {
    for (const value of [values].flat()) {
      if (typeof value === 'string') pairs.push([name, value]);
      else if (value !== undefined && value !== null) throw unreadable(`readable ${field}`, realm);
    }
  }
  return pairs;
}

// What an HTTP event of the detected source has and this one lacks.
function unreadable(lacking: string, realm: string): InvalidRequestError {
  const description = `The event is not an HTTP request: it has no ${lacking}`;
  return new InvalidRequestError({ reason: 'request_unreadable', description, realm });
}
