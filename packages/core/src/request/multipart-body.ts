// A multipart body's `_method` parts, read with the platform's parser (FormData), as Hono reads
// them, under every Content-Type and boundary some parser reads it with (multipart-readings.ts). A
// part that parsers read apart (ambiguous-parts.ts), or a body the platform's parser refuses, is
// refused: busboy and formidable, inside the app, may read it.

import { InvalidRequestError } from '../errors/errors';
import { ambiguousPart } from './ambiguous-parts';
import { headerValues } from './header-values';
import { multipartReadings, saysMultipart } from './multipart-readings';
import { overrideFieldValues } from './override-fields';

// A form-data type read as it came and under its boundary quoted, beside formidable's reading
// and a second Content-Type header's: more than this is no client's.
const MAX_READINGS = 4;

/**
 * The `_method` values of a raw multipart body (its text, or its bytes) under the Content-Type
 * header(s) it came with, read under each multipart type among them as every parser would
 * ({@link multipartReadings}); `undefined` when none says multipart. A part with an empty file
 * name, a file to the platform's parser and a field to busboy's, is read as a field. Rejects with
 * a 400 `InvalidRequestError` (`body_unreadable`) for a part parsers read apart
 * ({@link ambiguousPart}) or a body the platform's parser refuses under one of those types.
 *
 * @example
 * ```ts
 * await multipartValues(body, 'multipart/form-data; boundary=x', realm); // ['DELETE']
 * multipartValues(body, 'application/json'); // undefined
 * ```
 */
export function multipartValues(
  body: string | Uint8Array,
  contentType: unknown,
  realm?: string,
): Promise<string[]> | undefined {
  // Several Content-Type headers are several readings: each multipart one is read.
  const types = headerValues(contentType).filter(saysMultipart);
  if (types.length === 0) return undefined;
  return (async () => {
    // The parts' headers are the body's whatever boundary a type names: scanned once.
    const text =
      typeof body === 'string'
        ? body
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
    const readings = new Set(types.flatMap((type) => multipartReadings(type, text)));
    if (readings.size === 0) return [];
    // Each reading parses the whole body: a header naming many boundaries would have it parsed
    // that many times. No client sends more than one.
    if (readings.size > MAX_READINGS) {
      throw new InvalidRequestError({
        reason: 'body_unreadable',
        description: 'The multipart request body names too many boundaries',
        realm,
      });
    }
    if (ambiguousPart(text)) {
      throw new InvalidRequestError({
        reason: 'body_unreadable',
        description: 'A part of the multipart request body has headers parsers read apart',
        realm,
      });
    }
    const values: string[] = [];
    for (const type of readings) values.push(...(await typedValues(body, type, realm)));
    return values;
  })();
}

async function typedValues(
  body: string | Uint8Array,
  contentType: string,
  realm: string | undefined,
): Promise<string[]> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    // busboy, say, reads parts the platform refuses (an RFC 2231 `name*=`, in which `_method`
    // can hide): refused rather than read as naming nothing.
    throw new InvalidRequestError({
      reason: 'body_unreadable',
      description: 'The multipart request body could not be read',
      realm,
    });
  }
  return Promise.all(
    overrideFieldValues(form).map((value) => (typeof value === 'string' ? value : value.text())),
  );
}
