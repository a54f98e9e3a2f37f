// API Gateway method and route ARNs: `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>`.

/** The parts of an execute-api ARN. */
export interface MethodArn {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly method: string;
  /** Resource path without its leading slash; may contain `/`. */
  readonly resource: string;
}

/** IAM limits a policy statement's Resource to 512 characters. */
export const MAX_RESOURCE_LENGTH = 512;

/**
 * Parses a `methodArn` (REST) or `routeArn` (HTTP API). Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * parseMethodArn('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/movies/42');
 * // { region: 'us-east-1', accountId: '123456789012', apiId: 'abc123', stage: 'prod', method: 'GET', resource: 'movies/42', … }
 * ```
 */
export function parseMethodArn(arn: unknown): MethodArn | undefined {
  if (typeof arn !== 'string' || arn.length > 2048) return undefined;
  const match =
    /^arn:(aws[\w-]*):execute-api:([\w-]+):(\d{12}):([\w-]+)\/([^/]+)\/([^/]+)\/?(.*)$/.exec(arn);
  if (!match) return undefined;
  const [, partition, region, accountId, apiId, stage, method, resource] =
    match as unknown as string[];
  return {
    partition: partition as string,
    region: region as string,
    accountId: accountId as string,
    apiId: apiId as string,
    stage: stage as string,
    method: method as string,
    resource: resource ?? '',
  };
}

/**
 * Builds the ARN pattern for a verb and a resource path pattern on the same API and stage.
 *
 * @example
 * ```ts
 * methodArnPattern(arn, 'GET', 'movies/*'); // 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/movies/*'
 * ```
 */
export function methodArnPattern(base: MethodArn, method: string, resource: string): string {
  return `arn:${base.partition}:execute-api:${base.region}:${base.accountId}:${base.apiId}/${base.stage}/${method}/${resource}`;
}

/**
 * Turns an API Gateway route key into a verb and resource pattern: `ANY` becomes `*`, every
 * `{param}` and `{proxy+}` becomes `*`.
 *
 * @example
 * ```ts
 * routeKeyPattern('GET /movies/{id}'); // ['GET', 'movies/*']
 * ```
 */
export function routeKeyPattern(routeKey: string): [string, string] {
  const space = routeKey.indexOf(' ');
  const method = routeKey.slice(0, space);
  const path = routeKey
    .slice(space + 2)
    .replace(/\/$/, '')
    .split('/')
    .map((segment) => (segment.startsWith('{') ? '*' : segment))
    .join('/');
  return [method === 'ANY' ? '*' : method, path];
}

/**
 * Tells whether two IAM ARN patterns (where `*` matches any run of characters, `/` included,
 * and `?` any one character) can match the same string.
 *
 * @example
 * ```ts
 * patternsOverlap('GET/movies/*', 'GET/movies/top'); // true
 * ```
 */
export function patternsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  const go = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j < b.length && b[j] === '*') result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else
      result =
        i < a.length &&
        j < b.length &&
        (a[i] === b[j] || a[i] === '?' || b[j] === '?') &&
        go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}
