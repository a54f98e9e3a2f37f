// A Lambda guard wraps the whole app, so every body parser inside it runs after the guard: a
// method override there (Hono's methodOverride reads a `_method` form field by default) would
// have the guard judge `POST /items` while the app serves `DELETE /items`. Route policies
// therefore read the `_method` fields of the raw event body themselves.

import { InvalidRequestError } from '@cognito-guard/core';
import { overrideFieldValues } from '@cognito-guard/core/adapter';

/** The body fields of an HTTP event. */
export interface EventBodyLike {
  readonly body?: unknown;
  readonly isBase64Encoded?: boolean;
}

const FIELD = '_method';
// Where a form or JSON body could name the field: each character literal or escaped (`%5F` in
// a form, `\u005f` in JSON). A body no pattern matches is not parsed, so a large upload costs a
// scan, not a parse; a match that names something else is settled by the parse.
const FORM_NAME =
  /(?:^|&)(?:_|%5f)(?:m|%6d)(?:e|%65)(?:t|%74)(?:h|%68)(?:o|%6f)(?:d|%64)(?:$|[=&[]|%5b)/i;
const JSON_KEY =
  /"(?:_|\\u005f)(?:m|\\u006d)(?:e|\\u0065)(?:t|\\u0074)(?:h|\\u0068)(?:o|\\u006f)(?:d|\\u0064)"\s*:/i;

/**
 * The event body's `_method` values, as the parsed body a route policy reads (`{ _method: [...] }`),
 * or `undefined` when the body holds none. Whatever its Content-Type says, the body is read as a
 * URL-encoded form and as JSON, since a parser inside the app may be set to read any body
 * (`express.json({ type: '*\/*' })`); a multipart body is read too. One the platform's parser
 * refuses is refused (400): another parser inside the app might read it.
 *
 * @example
 * ```ts
 * await eventBodyMethods(event, 'application/x-www-form-urlencoded'); // { _method: ['DELETE'] }
 * ```
 */
export async function eventBodyMethods(
  event: EventBodyLike,
  contentType: string | readonly string[] | undefined,
): Promise<{ readonly _method: readonly unknown[] } | undefined> {
  const body = eventBody(event);
  if (body.length === 0) return undefined;
  // The patterns are ASCII, which latin1 and UTF-8 read alike: a binary upload is scanned
  // without the cost of decoding it as UTF-8, which only a match pays.
  const scanned = typeof body === 'string' ? body : body.toString('latin1');
  const text = () => (typeof body === 'string' ? body : body.toString('utf8'));
  const methods = [
    ...(FORM_NAME.test(scanned) ? overrideFieldValues(new URLSearchParams(text())) : []),
    ...(JSON_KEY.test(scanned) ? jsonValues(text()) : []),
  ];
  // Several Content-Type headers are several readings: each multipart one is read.
  for (const type of typeof contentType === 'string' ? [contentType] : (contentType ?? [])) {
    if (isMultipart(type)) methods.push(...(await multipartValues(body, type)));
  }
  return methods.length === 0 ? undefined : { _method: methods };
}

// API Gateway, ALB and Function URLs send a string, base64 or not, or nothing. An event invoked
// directly may carry bytes or an object, which serverless-http sends on as they are and as JSON.
function eventBody({ body, isBase64Encoded }: EventBodyLike): string | Buffer {
  if (typeof body === 'string') return isBase64Encoded ? Buffer.from(body, 'base64') : body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  return typeof body === 'object' && body !== null ? JSON.stringify(body) : '';
}

// A body JSON.parse refuses is one the app's JSON parser refuses too: it names no method.
function jsonValues(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, FIELD)) return [];
  const field = (value as Record<string, unknown>)[FIELD];
  return Array.isArray(field) ? field : [field];
}

function isMultipart(contentType: string): boolean {
  return contentType.split(';', 1)[0]?.trim().toLowerCase() === 'multipart/form-data';
}

async function multipartValues(body: Buffer | string, contentType: string): Promise<unknown[]> {
  try {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    return overrideFieldValues(form);
  } catch {
    // busboy, say, reads parts the platform refuses (an RFC 2231 `name*=`, in which `_method`
    // can hide): refused rather than read as naming nothing.
    throw new InvalidRequestError({
      reason: 'body_unreadable',
      description: 'The multipart request body could not be read',
    });
  }
}
