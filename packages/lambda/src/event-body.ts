// A Lambda guard wraps the whole app, so every body parser inside it runs after the guard: a
// method override there (Hono's methodOverride reads a `_method` form field by default) would
// have the guard judge `POST /items` while the app serves `DELETE /items`. Route policies
// therefore read the `_method` fields of the raw event body themselves.

import { rawBodyFields } from '@cognito-guard/core/adapter';
import { DEFAULT_REALM } from '@cognito-guard/core/advanced';

/** How {@link eventBodyMethods} reads a body, beside its Content-Type. */
export interface EventBodyOptions {
  /** The realm a refusal challenges with. */
  readonly realm?: string;
  /** The request's Content-Encoding header, undone before the body is read. */
  readonly contentEncoding?: string | readonly string[] | undefined;
}

/** The body fields of an HTTP event. */
export interface EventBodyLike {
  readonly body?: unknown;
  readonly isBase64Encoded?: boolean;
}

/**
 * The event body's `_method` values, as the parsed body a route policy reads (`{ _method: [...] }`),
 * or `undefined` when the body holds none. Whatever its Content-Type says, the body is read as a
 * URL-encoded form and as JSON, since a parser inside the app may be set to read any body
 * (`express.json({ type: '*\/*' })`); a multipart body is read too. One the platform's parser
 * refuses is refused (400, challenging with `realm`): another parser inside the app might read it.
 * So is one with a part parsers read apart. A body is read with its Content-Encoding undone, as
 * an app's parser inflates it, or refused when it cannot be; under a UTF-16 charset it is read in
 * UTF-16 too, and under another UTF charset (UTF-7, UTF-32) refused, as Express's JSON parser
 * decodes those (core's `rawBodyFields`).
 *
 * @example
 * ```ts
 * await eventBodyMethods(event, 'application/x-www-form-urlencoded'); // { _method: ['DELETE'] }
 * await eventBodyMethods(gzipped, 'application/json', { contentEncoding: 'gzip' }); // { _method: ['PUT'] }
 * ```
 */
export async function eventBodyMethods(
  event: EventBodyLike,
  contentType: string | readonly string[] | undefined,
  { realm = DEFAULT_REALM, contentEncoding }: EventBodyOptions = {},
): Promise<{ readonly _method: readonly unknown[] } | undefined> {
  const sent = eventBody(event);
  if (sent.length === 0) return undefined;
  const { values, parts } = rawBodyFields(sent, contentType, contentEncoding, realm);
  const methods = parts === undefined ? values : [...values, ...(await parts)];
  return methods.length === 0 ? undefined : { _method: methods };
}

// API Gateway, ALB and Function URLs send a string, base64 or not, or nothing. An event invoked
// directly may carry bytes or an object, which serverless-http sends on as they are and as JSON.
function eventBody({ body, isBase64Encoded }: EventBodyLike): string | Uint8Array {
  if (typeof body === 'string') return isBase64Encoded ? Buffer.from(body, 'base64') : body;
  if (body instanceof Uint8Array) return body;
  return typeof body === 'object' && body !== null ? JSON.stringify(body) : '';
}
