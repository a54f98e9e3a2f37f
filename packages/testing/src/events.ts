// Builders of the events API Gateway, ALB and Function URLs send a Lambda, including the exact way
// each authorizer stringifies claims. Shapes follow real captures (see shared/fixtures/apigw).

import { randomUUID } from 'node:crypto';
import { checkEventOptions } from './event-options';
import { eventQuery, lastValues } from './event-query';
import type { JwtPayload } from './jwt';

type Claims = Readonly<Record<string, unknown>>;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Formats epoch seconds the way a REST Cognito authorizer sends `exp` and `iat` (Java's
 * `Date.toString()` in UTC).
 *
 * @example
 * ```ts
 * javaDate(1718722804); // 'Tue Jun 18 15:00:04 UTC 2024'
 * ```
 */
export function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * Stringifies claims as the REST API Cognito authorizer does: every value a string, arrays
 * comma-joined, `exp`/`iat` as Java dates (`auth_time` stays an epoch string).
 *
 * @example
 * ```ts
 * restAuthorizerClaims({ 'cognito:groups': ['a', 'b'], exp: 1718722804 });
 * // { 'cognito:groups': 'a,b', exp: 'Tue Jun 18 15:00:04 UTC 2024' }
 * ```
 */
export function restAuthorizerClaims(payload: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number')
      out[name] = javaDate(value);
    else if (Array.isArray(value)) out[name] = value.join(',');
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

/**
 * Stringifies claims as the HTTP API JWT authorizer does: numbers and booleans as strings,
 * arrays as `"[a b]"`, objects as JSON text, null claims dropped.
 *
 * @example
 * ```ts
 * httpAuthorizerClaims({ 'cognito:groups': ['a', 'b'], exp: 1718722804 });
 * // { 'cognito:groups': '[a b]', exp: '1718722804' }
 * ```
 */
export function httpAuthorizerClaims(payload: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out[name] = `[${value.join(' ')}]`;
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

/** What the builders of events an authorizer may fill (`restProxyEvent`, `httpApiEvent`) take. */
export interface HttpEventOptions {
  readonly method?: string;
  /**
   * The path. The proxy and target builders (`restProxyEvent`, `httpApiEvent`,
   * `functionUrlEvent`, `albEvent`, `latticeEvent`) also take a query (`/movies?page=2`) and fill their source's
   * query fields with it, as API Gateway and ALB do.
   */
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A bearer token for the Authorization header. */
  readonly token?: string;
  /** Verified claims (a JWT payload) to put where the API's authorizer puts them. */
  readonly claims?: JwtPayload;
  /** A Lambda authorizer's context instead of JWT claims. */
  readonly authorizerContext?: Readonly<Record<string, string | number | boolean>>;
  /** The body; bytes are sent base64-encoded (`isBase64Encoded`), as API Gateway sends binary media. */
  readonly body?: string | Uint8Array;
}

/**
 * What the builders of events that no authorizer fills take (`functionUrlEvent`, `albEvent`,
 * `latticeEvent` and the authorizers' own events): `HttpEventOptions` without the claims.
 */
export type RequestEventOptions = Omit<HttpEventOptions, 'claims' | 'authorizerContext'>;

// The body fields as the source sends them; `absent` is what it sends for no body.
function bodyFields(options: HttpEventOptions, absent: string | null | undefined) {
  const { body } = options;
  if (body instanceof Uint8Array) {
    return { body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
  }
  const text = body ?? absent;
  return text === undefined ? { isBase64Encoded: false } : { body: text, isBase64Encoded: false };
}

function headersWith(options: HttpEventOptions, authorizationName: string): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers[authorizationName] = `Bearer ${options.token}`;
  return headers;
}

// The source's own Host header, unless the caller names one in any casing: a request has one.
function withHost(
  name: string,
  host: string,
  headers: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const named = Object.keys(headers).some((key) => key.toLowerCase() === 'host');
  return named ? { ...headers } : { [name]: host, ...headers };
}

function multi(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
}

/**
 * A REST API proxy event (payload 1.0), optionally behind a Cognito or Lambda authorizer.
 * `resource` is the resource API Gateway selected (default: the path); a request through a
 * custom domain's base path mapping has it without the base path, which `path` keeps.
 *
 * @example
 * ```ts
 * restProxyEvent({ method: 'GET', path: '/movies', token: issuer.accessToken({ groups: ['movies-group'] }) });
 * restProxyEvent({ path: '/movies', claims: decodeJwt(token).payload }); // trust-mode event
 * restProxyEvent({ path: '/v1/movies/42', resource: '/movies/{id}' }); // custom domain, base path v1
 * ```
 */
export function restProxyEvent(
  options: HttpEventOptions & { readonly stage?: string; readonly resource?: string } = {},
) {
  checkEventOptions('restProxyEvent', options);
  const method = options.method ?? 'GET';
  const { path, decoded } = eventQuery(options.path ?? '/');
  const resource = options.resource ?? path;
  const stage = options.stage ?? 'prod';
  const headers = headersWith(
    {
      ...options,
      headers: withHost('Host', 'abc123.execute-api.eu-west-1.amazonaws.com', options.headers),
    },
    'Authorization',
  );
  const authorizer = options.claims
    ? { claims: restAuthorizerClaims(options.claims) }
    : options.authorizerContext
      ? {
          principalId: String(options.authorizerContext['sub'] ?? 'user'),
          integrationLatency: 0,
          ...Object.fromEntries(
            Object.entries(options.authorizerContext).map(([k, v]) => [k, String(v)]),
          ),
        }
      : undefined;
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: multi(headers),
    queryStringParameters: decoded && lastValues(decoded),
    multiValueQueryStringParameters: decoded,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: 'abc123',
      ...(authorizer ? { authorizer } : {}),
      resourcePath: resource,
      httpMethod: method,
      extendedRequestId: randomUUID(),
      requestTime: '17/Jun/2024:15:00:26 +0000',
      path: `/${stage}${path}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: 'abc123',
      requestTimeEpoch: Date.now(),
      requestId: randomUUID(),
      identity: { sourceIp: '127.0.0.1', userAgent: 'cognito-guard-testing' },
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      apiId: 'abc123',
    },
    ...bodyFields(options, null),
  };
}

/** What an HTTP API event carries beside a request: its route, stage, authorizer scopes. */
export type HttpApiEventOptions = HttpEventOptions & {
  readonly routeKey?: string;
  readonly scopes?: readonly string[] | null;
  readonly cookies?: readonly string[];
  readonly stage?: string;
  readonly domainName?: string;
};

/**
 * An HTTP API event, optionally behind a JWT or Lambda authorizer: payload 2.0, or payload 1.0
 * with `version: '1.0'`, the REST-like shape an integration can ask for, where a named stage
 * stays in `path`.
 *
 * @example
 * ```ts
 * httpApiEvent({ method: 'GET', path: '/shows', routeKey: 'GET /shows', token });
 * httpApiEvent({ version: '1.0', path: '/shows', routeKey: 'GET /shows', stage: 'prod' });
 * ```
 */
export function httpApiEvent(
  options: HttpApiEventOptions & { readonly version: '1.0' },
): ReturnType<typeof httpApiV1Event>;
export function httpApiEvent(
  options?: HttpApiEventOptions & { readonly version?: '2.0' },
): ReturnType<typeof httpApiV2Event>;
export function httpApiEvent(
  options: HttpApiEventOptions & { readonly version?: '1.0' | '2.0' } = {},
) {
  checkEventOptions('httpApiEvent', options);
  return options.version === '1.0' ? httpApiV1Event(options) : httpApiV2Event(options);
}

// What both payloads of an HTTP API event take from the options alike.
function httpApiRequest(options: HttpApiEventOptions) {
  const { path, raw, decoded } = eventQuery(options.path ?? '/');
  const stage = options.stage ?? '$default';
  const domainName = options.domainName ?? 'abc123.execute-api.eu-west-1.amazonaws.com';
  const claims = options.claims && {
    claims: httpAuthorizerClaims(options.claims),
    scopes: options.scopes ?? null,
  };
  return {
    method: options.method ?? 'GET',
    path,
    rawQuery: raw,
    decoded,
    // Several values of one name arrive joined by commas.
    joined:
      decoded &&
      Object.fromEntries(Object.entries(decoded).map(([name, values]) => [name, values.join(',')])),
    stage,
    // A named stage comes first in the path the function receives.
    staged: stage === '$default' ? path : `/${stage}${path}`,
    routeKey: options.routeKey ?? '$default',
    // The API the request came through, as both payloads name it in `requestContext`.
    api: {
      accountId: '123456789012',
      apiId: domainName.split('.')[0] as string,
      domainName,
      domainPrefix: domainName.split('.')[0] as string,
    },
    headers: headersWith(
      { ...options, headers: withHost('host', domainName, options.headers) },
      'authorization',
    ),
    // JWT authorizer claims (where each payload puts them), or a Lambda authorizer's context.
    claims,
    lambda: options.authorizerContext && { lambda: { ...options.authorizerContext } },
  };
}

function httpApiV2Event(options: HttpApiEventOptions) {
  const request = httpApiRequest(options);
  const { method, staged, routeKey, claims, lambda } = request;
  const authorizer = claims ? { jwt: claims } : lambda;
  return {
    version: '2.0',
    routeKey,
    rawPath: staged,
    rawQueryString: request.rawQuery,
    ...(options.cookies ? { cookies: [...options.cookies] } : {}),
    headers: request.headers,
    ...(request.joined ? { queryStringParameters: request.joined } : {}),
    requestContext: {
      ...request.api,
      ...(authorizer ? { authorizer } : {}),
      http: {
        method,
        path: staged,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'cognito-guard-testing',
      },
      requestId: randomUUID(),
      routeKey,
      stage: request.stage,
      time: '17/Jun/2024:15:49:29 +0000',
      timeEpoch: Date.now(),
    },
    ...bodyFields(options, undefined),
  };
}

// Payload 1.0: a named stage stays in `path` (`/prod/shows`), while `resource` holds the
// route's path (`/shows`, or `$default`); JWT authorizer claims sit at
// `requestContext.authorizer.claims`, stringified as in payload 2.0.
function httpApiV1Event(options: HttpApiEventOptions) {
  const request = httpApiRequest(options);
  const { method, staged, routeKey, headers } = request;
  const resource = routeKey === '$default' ? routeKey : routeKey.slice(routeKey.indexOf(' ') + 1);
  if (options.cookies?.length) headers['cookie'] = options.cookies.join('; ');
  const authorizer = request.claims ?? request.lambda;
  return {
    version: '1.0',
    resource,
    path: staged,
    httpMethod: method,
    headers,
    multiValueHeaders: multi(headers),
    queryStringParameters: request.joined,
    multiValueQueryStringParameters: request.decoded,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      ...request.api,
      ...(authorizer ? { authorizer } : {}),
      extendedRequestId: randomUUID(),
      httpMethod: method,
      identity: { sourceIp: '127.0.0.1', userAgent: 'cognito-guard-testing' },
      path: staged,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: '17/Jun/2024:15:49:29 +0000',
      requestTimeEpoch: Date.now(),
      resourceId: routeKey,
      resourcePath: resource,
      stage: request.stage,
    },
    ...bodyFields(options, null),
  };
}

/**
 * A Lambda Function URL event: payload 2.0 on a `*.lambda-url.*.on.aws` domain, never with
 * authorizer claims.
 *
 * @example
 * ```ts
 * functionUrlEvent({ path: '/movies', token });
 * ```
 */
export function functionUrlEvent(options: RequestEventOptions = {}) {
  checkEventOptions('functionUrlEvent', options);
  const event = httpApiEvent({
    ...options,
    domainName: 'abcdefghij.lambda-url.eu-west-1.on.aws',
  });
  return event;
}

/**
 * An ALB target-group event, with single-value or (when the target group enables them)
 * multi-value headers.
 *
 * @example
 * ```ts
 * albEvent({ path: '/movies', token, multiValueHeaders: true });
 * ```
 */
export function albEvent(
  options: RequestEventOptions & { readonly multiValueHeaders?: boolean } = {},
) {
  checkEventOptions('albEvent', options);
  const headers = headersWith(
    {
      ...options,
      headers: withHost('host', 'alb-123.eu-west-1.elb.amazonaws.com', options.headers),
    },
    'authorization',
  );
  // ALB hands the query on as received, without decoding it.
  const { path, undecoded } = eventQuery(options.path ?? '/');
  return {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/movies/0123456789abcdef',
      },
    },
    httpMethod: options.method ?? 'GET',
    path,
    ...(options.multiValueHeaders
      ? { multiValueQueryStringParameters: undecoded, multiValueHeaders: multi(headers) }
      : { queryStringParameters: lastValues(undecoded), headers }),
    ...bodyFields(options, ''),
  };
}

const LATTICE_ARN = 'arn:aws:vpc-lattice:eu-west-1:123456789012';

/**
 * A VPC Lattice target-group event, event structure V2: the method and path at the top level,
 * every header and query value as a list (query values as received).
 *
 * @example
 * ```ts
 * latticeEvent({ method: 'POST', path: '/movies?draft=1', token });
 * ```
 */
export function latticeEvent(options: RequestEventOptions = {}) {
  checkEventOptions('latticeEvent', options);
  const headers = headersWith(
    {
      ...options,
      headers: withHost(
        'host',
        'movies-0a1b2c3d4e5f67890.7d67968.vpc-lattice-svcs.eu-west-1.on.aws',
        options.headers,
      ),
    },
    'authorization',
  );
  const { path, undecoded } = eventQuery(options.path ?? '/');
  return {
    version: '2.0',
    path,
    method: options.method ?? 'GET',
    headers: multi(headers),
    queryStringParameters: undecoded,
    ...bodyFields(options, ''),
    requestContext: {
      serviceNetworkArn: `${LATTICE_ARN}:servicenetwork/sn-0123456789abcdef0`,
      serviceArn: `${LATTICE_ARN}:service/svc-0123456789abcdef0`,
      targetGroupArn: `${LATTICE_ARN}:targetgroup/tg-0123456789abcdef0`,
      identity: { sourceVpcArn: 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0' },
      region: 'eu-west-1',
      timeEpoch: String(Date.now() * 1000),
    },
  };
}

const ARN_BASE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123';

/**
 * A REST `TOKEN` authorizer event.
 *
 * @example
 * ```ts
 * tokenAuthorizerEvent({ token: `Bearer ${token}`, method: 'GET', path: '/movies' });
 * ```
 */
export function tokenAuthorizerEvent(
  options: {
    readonly token?: string;
    readonly method?: string;
    readonly path?: string;
    readonly stage?: string;
  } = {},
) {
  checkEventOptions('tokenAuthorizerEvent', options);
  return {
    type: 'TOKEN',
    authorizationToken: options.token ?? '',
    methodArn: `${ARN_BASE}/${options.stage ?? 'prod'}/${options.method ?? 'GET'}${options.path ?? '/'}`,
  };
}

/**
 * A REST `REQUEST` authorizer event.
 *
 * @example
 * ```ts
 * requestAuthorizerEvent({ token, method: 'GET', path: '/movies' });
 * ```
 */
export function requestAuthorizerEvent(
  options: RequestEventOptions & { readonly stage?: string } = {},
) {
  checkEventOptions('requestAuthorizerEvent', options);
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const stage = options.stage ?? 'prod';
  const headers = headersWith(options, 'Authorization');
  return {
    type: 'REQUEST',
    methodArn: `${ARN_BASE}/${stage}/${method}${path}`,
    resource: path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: multi(headers),
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    pathParameters: {},
    stageVariables: {},
    requestContext: {
      path: `/${stage}${path}`,
      accountId: '123456789012',
      resourceId: 'abc',
      stage,
      requestId: randomUUID(),
      identity: { sourceIp: '127.0.0.1' },
      resourcePath: path,
      httpMethod: method,
      apiId: 'abc123',
    },
  };
}

/**
 * An HTTP API Lambda-authorizer event, payload `'2.0'` (default) or `'1.0'`.
 *
 * @example
 * ```ts
 * httpAuthorizerEvent({ token, method: 'GET', path: '/movies', routeKey: 'GET /movies' });
 * ```
 */
export function httpAuthorizerEvent(
  options: RequestEventOptions & {
    readonly version?: '1.0' | '2.0';
    readonly routeKey?: string;
  } = {},
) {
  checkEventOptions('httpAuthorizerEvent', options);
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const routeKey = options.routeKey ?? `${method} ${path}`;
  const headers = headersWith(options, 'authorization');
  const arn = `${ARN_BASE}/$default/${method}${path}`;
  if (options.version === '1.0') {
    return {
      version: '1.0',
      type: 'REQUEST',
      methodArn: arn,
      identitySource: headers['authorization'] ?? '',
      authorizationToken: headers['authorization'] ?? '',
      resource: routeKey,
      path,
      httpMethod: method,
      headers,
      queryStringParameters: {},
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123',
        httpMethod: method,
        path,
        stage: '$default',
        requestId: randomUUID(),
        resourcePath: routeKey,
      },
    };
  }
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: arn,
    identitySource: headers['authorization'] ? [headers['authorization']] : [],
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'cognito-guard-testing',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: Date.now(),
    },
  };
}

/** Fields of the Lambda runtime's `Context` a test may replace in {@link lambdaContext}. */
export interface LambdaContextOverrides {
  readonly callbackWaitsForEmptyEventLoop?: boolean;
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn?: string;
  readonly memoryLimitInMB?: string;
  readonly awsRequestId?: string;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
  readonly identity?: {
    readonly cognitoIdentityId: string;
    readonly cognitoIdentityPoolId: string;
  };
  readonly clientContext?: {
    readonly client: Readonly<
      Record<
        'installationId' | 'appTitle' | 'appVersionName' | 'appVersionCode' | 'appPackageName',
        string
      >
    >;
    readonly Custom?: unknown;
    readonly env: Readonly<
      Record<'platformVersion' | 'platform' | 'make' | 'model' | 'locale', string>
    >;
  };
  readonly tenantId?: string;
  readonly getRemainingTimeInMillis?: () => number;
  readonly done?: (error?: Error, result?: unknown) => void;
  readonly fail?: (error: Error | string) => void;
  readonly succeed?: (messageOrObject: unknown) => void;
}

/**
 * A fake Lambda `Context` for calling handlers directly, 30 s from its deadline. A field that is
 * not one of `Context`'s is refused with a `TypeError` naming it.
 *
 * @example
 * ```ts
 * await handler(restProxyEvent({ token }), lambdaContext({ functionName: 'movies-api' }));
 * ```
 */
export function lambdaContext(overrides: LambdaContextOverrides = {}) {
  checkEventOptions('lambdaContext', overrides);
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'movies',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:movies',
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/movies',
    logStreamName: '2024/06/17/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
