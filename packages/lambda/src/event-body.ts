// A Lambda guard wraps the whole app, so every body parser inside it runs after the guard: a
// method override there (Hono's methodOverride reads a `_method` form field by default) would
// have the guard judge `POST /items` while the app serves `DELETE /items`. Route policies
// therefore read the `_method` fields of the raw event body, parsed as its Content-Type says.

import { InvalidRequestError } from '@cognito-guard/core';
import { overrideFieldValues } from '@cognito-guard/core/adapter';

/** The body fields of an HTTP event. */
export interface EventBodyLike {
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

const FIELD = '_method';

/**
 * The event body's `_method` values, as the parsed body a route policy reads (`{ _method: [...] }`),
 * or `undefined` when the body holds none. URL-encoded and multipart forms and JSON (`+json` too)
 * are read; other media types no body parser turns into fields. A multipart body the platform's
 * parser refuses is refused (400): another parser inside the app might read it.
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
  if (!event.body || contentType === undefined) return undefined;
  const bytes = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const methods: unknown[] = [];
  // Several Content-Type headers are several readings: each is read.
  for (const type of typeof contentType === 'string' ? [contentType] : contentType) {
    methods.push(...(await fieldValues(bytes, type)));
  }
  return methods.length === 0 ? undefined : { _method: methods };
}

async function fieldValues(bytes: Buffer, contentType: string): Promise<unknown[]> {
  const media = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  // A form or JSON body names the field in its text, or through an escape (`%5F`, `\u005f`):
  // one without either is not parsed.
  if (media === 'application/x-www-form-urlencoded') {
    const text = bytes.toString('utf8');
    if (!text.includes(FIELD) && !text.includes('%')) return [];
    return overrideFieldValues(new URLSearchParams(text));
  }
  if (media === 'application/json' || media.endsWith('+json')) {
    const text = bytes.toString('utf8');
    if (!text.includes(FIELD) && !text.includes('\\u')) return [];
    const field = jsonField(text);
    return field === undefined ? [] : Array.isArray(field) ? field : [field];
  }
  if (media !== 'multipart/form-data') return [];
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

// A body JSON.parse refuses is one the app's JSON parser refuses too: it names no method.
function jsonField(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && Object.hasOwn(value, FIELD)
      ? (value as Record<string, unknown>)[FIELD]
      : undefined;
  } catch {
    return undefined;
  }
}
