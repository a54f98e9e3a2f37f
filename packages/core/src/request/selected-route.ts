// The route API Gateway selected for a Lambda event. The path a Lambda receives may carry what
// API Gateway's own selection never saw (a REST custom domain's base path is in `path`), so a
// route policy reads the selected route beside it. Every adapter that sees the event reads it
// here: the Lambda guard, Hono on hono/aws-lambda, and Express and Koa on serverless-http.

/** The fields of an API Gateway or ALB event that name the route API Gateway selected. */
export interface SelectedRouteEvent {
  readonly version?: string;
  /** HTTP API (payload 2.0): `GET /movies/{id}`, or `$default`. */
  readonly routeKey?: string;
  /** REST (and HTTP API payload 1.0): the resource selected, `/movies/{id}`. */
  readonly resource?: string;
  readonly httpMethod?: string;
  readonly requestContext?: { readonly elb?: unknown } | null;
}

/**
 * The route API Gateway selected (`GET /movies/{id}`; a REST API's method and resource), or
 * `undefined` when the event names none: `$default`, a Function URL, an ALB.
 *
 * @example
 * ```ts
 * selectedRouteKey({ httpMethod: 'GET', resource: '/admin' }); // 'GET /admin', whatever the path
 * selectedRouteKey({ version: '2.0', routeKey: '$default' }); // undefined
 * ```
 */
export function selectedRouteKey(event: SelectedRouteEvent): string | undefined {
  // An event is data from outside: a field of another type (a hand-made or invoked event) names
  // no route, rather than throwing on the auth path.
  const { routeKey, resource, httpMethod } = event as Record<keyof SelectedRouteEvent, unknown>;
  if (event.version === '2.0') {
    return typeof routeKey === 'string' && routeKey !== '$default' ? routeKey : undefined;
  }
  if (event.requestContext?.elb !== undefined) return undefined;
  if (typeof resource !== 'string' || !resource.startsWith('/')) return undefined;
  return `${(typeof httpMethod === 'string' ? httpMethod : 'GET').toUpperCase()} ${resource}`;
}
