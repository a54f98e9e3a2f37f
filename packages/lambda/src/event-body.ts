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
  // API Gateway, ALB and Function URLs send a string or nothing.
  if (typeof event.body !== 'string' || event.body === '') return undefined;
  const bytes = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const text = bytes.toString('utf8');
  const methods = [...formValues(text), ...jsonValues(text)];
  // Several Content-Type headers are several readings: each multipart one is read.
  for (const type of typeof contentType === 'string' ? [contentType] : (contentType ?? [])) {
    if (isMultipart(type)) methods.push(...(await multipartValues(bytes, type)));
  }
  return methods.length === 0 ? undefined : { _method: methods };
}

// A form names the field in its text or through a percent-escape (`%5Fmethod`): a body with
// neither is not parsed.
function formValues(text: string): unknown[] {
  if (!text.includes(FIELD) && !text.includes('%')) return [];
  return overrideFieldValues(new URLSearchParams(text));
}

// The same for JSON, whose escape is `\u005f`. A body JSON.parse refuses is one the app's JSON
// parser refuses too: it names no method.
function jsonValues(text: string): unknown[] {
  if (!text.includes(FIELD) && !text.includes('\\u')) return [];
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

async function multipartValues(bytes: Buffer, contentType: string): Promise<unknown[]> {
  try {
    const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
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
