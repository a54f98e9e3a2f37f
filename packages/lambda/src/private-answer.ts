// A proxy response decided for a caller must not be stored by a shared cache and replayed to
// another caller: it leaves marked `Cache-Control: private` (unless the handler set its own) and
// `Vary` naming the headers a token is read from, in whichever header map API Gateway, the ALB or
// VPC Lattice reads.

import { withPrivateMarks } from '@cognito-guard/core/adapter';
import { detectSource, type HttpEventLike, isPayloadV2 } from './events';

interface ProxyResult {
  readonly statusCode: unknown;
  readonly headers?: Record<string, unknown>;
  readonly multiValueHeaders?: Record<string, unknown>;
}

/**
 * The handler's result, marked private. An HTTP API or Function URL (payload 2.0) answers a
 * result without a status code as a 200 JSON response whose body is the result (a string as it
 * is, anything else as JSON); such a result is answered in that form first, so it can carry the
 * headers. REST merges `headers` with `multiValueHeaders`, and an ALB with multi-value headers
 * reads only the latter: a result that has `multiValueHeaders` gets the marks there.
 *
 * @example
 * ```ts
 * return markPrivate(await handler(event, context), event, options.vary);
 * ```
 */
export function markPrivate<R>(result: R, event: HttpEventLike, vary: string): R {
  const response = isPayloadV2(detectSource(event)) ? asInferredResponse(result) : result;
  if (typeof response !== 'object' || response === null || !('statusCode' in response))
    return result;
  return withMarkedHeaders(response as ProxyResult, vary) as R;
}

/**
 * A response's header maps, marked private: `headers`, or `multiValueHeaders` when it has them.
 * Also a streamed answer's metadata prelude, whose status code may be left to its 200 default.
 *
 * @example
 * ```ts
 * withMarkedHeaders({ statusCode: 200, headers: { vary: 'Origin' } }, 'Authorization');
 * // { statusCode: 200, headers: { vary: 'Origin, Authorization', 'Cache-Control': 'private' } }
 * ```
 */
export function withMarkedHeaders<R extends Partial<ProxyResult>>(response: R, vary: string): R {
  const { headers, multiValueHeaders: multi } = response;
  if (!multi) return { ...response, headers: withPrivateMarks(headers, vary) };
  // REST merges the two maps, so a Cache-Control in `headers` is the handler's own too.
  const marked = withPrivateMarks(multi, vary, headers);
  // The marks as multi-value entries: every value the marking set or replaced.
  for (const key of Object.keys(marked))
    if (marked[key] !== multi[key]) marked[key] = [marked[key]];
  return { ...response, multiValueHeaders: marked };
}

// What an HTTP API or a Function URL makes of a result without a status code.
function asInferredResponse(result: unknown): unknown {
  if (result == null || (typeof result === 'object' && 'statusCode' in result)) return result;
  const body = typeof result === 'string' ? result : JSON.stringify(result);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
}
