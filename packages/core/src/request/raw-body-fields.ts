// A raw body, bytes or text no parser has read yet (serverless-http leaves the event's body in
// `req.body`; a Lambda event carries it), names a method wherever the app's parser will find a
// `_method` field. It is read once, as that parser will read it: its Content-Encoding undone, then
// as a form and as JSON in each charset reading, and part by part under a multipart Content-Type.

import { bodyReadings } from './body-charset';
import { decodedBody } from './body-encoding';
import { multipartValues } from './multipart-body';
import { rawBodyMethods } from './override-fields';

/** A raw body's `_method` values: those read at once, and a multipart body's parts. */
export interface RawBodyFields {
  /** The values of its readings as a URL-encoded form and as JSON. */
  readonly values: unknown[];
  /**
   * The values of its multipart parts, which the platform's parser reads asynchronously;
   * `undefined` when no Content-Type is multipart.
   */
  readonly parts: Promise<string[]> | undefined;
}

/**
 * The `_method` values of a raw body under its Content-Type and Content-Encoding headers, read
 * as a form and as JSON whatever its Content-Type says, since a parser may be set to read any
 * body (`express.json({ type: '*\/*' })`). Throws a 400 `InvalidRequestError`
 * (`body_unreadable`), with `realm`, for an encoding it cannot undo or a UTF charset it cannot
 * decode; `parts` rejects with one for a multipart body it cannot read as every parser would.
 *
 * @example
 * ```ts
 * const { values, parts } = rawBodyFields(bytes, headers['content-type'], headers['content-encoding']);
 * const all = parts ? [...values, ...(await parts)] : values; // ['DELETE']
 * ```
 */
export function rawBodyFields(
  body: string | Uint8Array,
  contentType: unknown,
  contentEncoding: unknown,
  realm?: string,
): RawBodyFields {
  const decoded = decodedBody(body, contentEncoding, realm);
  const readings = bodyReadings(decoded, contentType, realm);
  const values = readings.flatMap((reading) => rawBodyMethods(reading));
  return { values, parts: multipartValues(decoded, contentType, realm) };
}
