// A body parser undoes the Content-Encoding a request names before it reads a `_method` field:
// Express's and Koa's parsers inflate gzip and deflate, and Express 5's brotli too. The guard
// reads raw body bytes as that parser will, so it undoes the encoding first. One it cannot undo,
// several in a row, or bytes that do not decode are refused: what the app would read is unknown.

import { InvalidRequestError } from '../errors/errors';
import { headerValues } from './header-values';

// An inflated body past this is refused: a small compressed body can inflate to gigabytes.
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

type Zlib = typeof import('node:zlib');
type Decode = (body: Uint8Array, options: { maxOutputLength: number }) => Uint8Array;

const DECODERS: ReadonlyMap<string, (zlib: Zlib) => Decode> = new Map([
  ['gzip', (zlib: Zlib) => zlib.gunzipSync],
  ['x-gzip', (zlib: Zlib) => zlib.gunzipSync],
  ['deflate', (zlib: Zlib) => zlib.inflateSync],
  ['br', (zlib: Zlib) => zlib.brotliDecompressSync],
]);

/**
 * The body's bytes with the encoding its `Content-Encoding` header names undone (gzip, x-gzip,
 * deflate or br; none, or `identity`, leaves the body as it is, text or bytes). Throws a 400
 * `InvalidRequestError` (`body_unreadable`) for another encoding, several, bytes that do not
 * decode, or more than 16 MiB decoded.
 *
 * @example
 * ```ts
 * const bytes = decodedBody(gzipped, request.headers['content-encoding'], realm);
 * rawBodyMethods(bytes); // ['DELETE']
 * ```
 */
export function decodedBody(
  body: string | Uint8Array,
  contentEncoding: unknown,
  realm?: string,
): string | Uint8Array {
  const names = encodingNames(contentEncoding);
  if (names.length === 0) return body;
  // Loaded on the first encoded body only: zlib costs a Lambda's cold start about 2 ms.
  const zlib = process.getBuiltinModule?.('node:zlib') as Zlib | undefined;
  const decoder = names.length === 1 ? DECODERS.get(names[0] as string) : undefined;
  if (decoder !== undefined && zlib !== undefined) {
    // A bridge hands the app a text body as its UTF-8 bytes, which the app's parser inflates.
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    try {
      return decoder(zlib)(bytes, { maxOutputLength: MAX_DECODED_BYTES });
    } catch {
      // Refused below, as an encoding the guard cannot undo.
    }
  }
  throw new InvalidRequestError({
    reason: 'body_unreadable',
    description: `The request body's Content-Encoding (${names.join(', ')}) could not be undone`,
    realm,
  });
}

// Every coding named, in one header or several, less `identity`, which changes nothing.
function encodingNames(value: unknown): string[] {
  return headerValues(value)
    .flatMap((item) => item.split(','))
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'identity');
}
