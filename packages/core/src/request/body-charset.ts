// Express's JSON parser decodes a body in the charset its Content-Type names, any of the UTF
// family iconv-lite knows: `{"_method":"DELETE"}` in UTF-16 or UTF-7 names `DELETE` to the app
// while its bytes, read as UTF-8, name nothing. The guard reads UTF-16 too; a UTF it cannot
// decode (UTF-32, UTF-7) is refused, since the app may read a method there.

import { InvalidRequestError } from '../errors/errors';
import { headerValues } from './header-values';

// The UTF charsets whose bytes read the `_method` field as they are. Outside the UTF family, the
// charsets body parsers decode (ISO-8859-1 for Express's urlencoded parser) write it in ASCII. A
// multipart part's charset is held to a stricter list (ambiguous-parts.ts): busboy decodes a
// part's value in whatever charset it names.
const UTF8 = new Set(['utf-8', 'utf8']);
const UTF16 = new Set(['utf-16', 'utf-16le', 'utf-16be']);
// `charset=x` or `charset="x"`, in any case, after the media type.
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/gi;

/**
 * The readings of a raw body a parser may make in the charsets the Content-Type header(s)
 * name: the bytes themselves, and their UTF-16 text (little- and big-endian) under a UTF-16
 * charset. Throws a 400 `InvalidRequestError` (`body_unreadable`) for another charset of the
 * UTF family, which Express's JSON parser decodes and the guard cannot.
 *
 * @example
 * ```ts
 * bodyReadings(bytes, 'application/json; charset=utf-16le'); // [bytes, '{"_method":"PUT"}', '…']
 * ```
 */
export function bodyReadings(
  body: string | Uint8Array,
  contentType: unknown,
  realm?: string,
): (string | Uint8Array)[] {
  const readings: (string | Uint8Array)[] = [body];
  for (const charset of namedCharsets(contentType)) {
    if (UTF8.has(charset)) continue;
    if (UTF16.has(charset)) {
      // A text body reaches the app as its UTF-8 bytes (serverless-http, serverless-express).
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      readings.push(
        new TextDecoder('utf-16le').decode(bytes),
        new TextDecoder('utf-16be').decode(bytes),
      );
    } else if (charset.startsWith('utf')) {
      throw new InvalidRequestError({
        reason: 'body_unreadable',
        description: `The request body's charset (${charset}) cannot be read`,
        realm,
      });
    }
  }
  return readings;
}

/**
 * The charsets a Content-Type header (one value or several) names, in lower case.
 *
 * @example
 * ```ts
 * namedCharsets('text/plain; charset="UTF-16LE"'); // ['utf-16le']
 * namedCharsets(['a/b', 'c/d;charset=latin1']); // ['latin1']
 * ```
 */
export function namedCharsets(value: unknown): string[] {
  return headerValues(value).flatMap((item) =>
    [...item.matchAll(CHARSET)].map((match) => (match[1] ?? '').toLowerCase()),
  );
}
