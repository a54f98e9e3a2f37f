// Multipart parsers agree on a part only when its headers are plain:
// - Given a part with two Content-Disposition headers, or a name given twice, busboy (multer)
//   takes the first and the platform's parser the last. An RFC 2231 `name*` is refused by Node
//   20's parser and read by Node 24's, busboy's and @fastify/busboy's, each its own way
//   (`utf-8'en'%5Fmethod` is `_method` to one and `n'_method` to another).
// - busboy decodes a value in the charset its part's Content-Type names (`DELETE` in UTF-16 is
//   `DELETE` to it); the platform's parser reads UTF-8 whatever the part says.
// - The platform's parser undoes a part's Content-Transfer-Encoding (base64); busboy does not.
// The guard reads the body with the platform's parser, so such a part could name `_method`, or
// a method, to the app and something else to the guard.

import { namedCharsets } from './body-charset';

// Each line that opens a part (`--` and the boundary), and the header lines after it, up to the
// blank line. Any line that starts with `--` counts: the guard need not agree with a parser on the
// boundary. Each header line starts with one character that is neither CR nor LF (after an
// optional CR), so the pattern never backtracks.
const PART_HEADERS = /^--[^\n]*\n((?:\r?[^\r\n][^\n]*\n)*)/gm;
// A header line ends where the next one starts; a line that starts with a space or a tab continues
// the one before it (obsolete folding, which busboy reads).
const HEADER_FIELD_END = /\r?\n(?![ \t])/;
const EXTENDED_NAME = /(?:^|;)\s*name\s*\*/i;
const NAME = /(?:^|;)\s*name\s*=/gi;
// Charsets in which a method's ASCII letters are the bytes UTF-8 reads. A part naming any other is
// refused; a whole body is held to less (body-charset.ts reads it as it is under any charset
// outside the UTF family, since the body parsers decode those in ASCII for a form or JSON).
const READ_AS_UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'latin1']);

/**
 * Whether a multipart body (its text, or its bytes read as latin1) has a part parsers read apart:
 * two Content-Disposition headers, a `name` given twice, an extended `name*`, a Content-Type
 * naming a charset other than UTF-8's ASCII-compatible kin, or a Content-Transfer-Encoding.
 * Browsers and the platform's FormData never send such a part. Text inside a part's value that
 * looks like one counts too: the stricter reading wins.
 *
 * @example
 * ```ts
 * ambiguousPart('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'); // false
 * ambiguousPart('--x\r\nContent-Disposition: form-data; name*=utf-8\'\'a\r\n\r\n1\r\n--x--'); // true
 * ```
 */
export function ambiguousPart(body: string): boolean {
  for (const [, headers = ''] of body.matchAll(PART_HEADERS)) {
    const fields = headers.split(HEADER_FIELD_END).flatMap(headerField);
    if (fields.some(decodedApart)) return true;
    const dispositions = fields.filter(([name]) => name === 'content-disposition');
    if (dispositions.length > 1) return true;
    const params = dispositions[0]?.[1] ?? '';
    if (EXTENDED_NAME.test(params) || (params.match(NAME)?.length ?? 0) > 1) return true;
  }
  return false;
}

// A header line as its lower-cased name and its value; none for a line without a colon.
function headerField(line: string): [name: string, value: string][] {
  const colon = line.indexOf(':');
  if (colon === -1) return [];
  return [[line.slice(0, colon).trimEnd().toLowerCase(), line.slice(colon + 1)]];
}

// A header under which parsers may decode the part's value apart.
function decodedApart([name, value]: [name: string, value: string]): boolean {
  if (name === 'content-transfer-encoding') return true;
  if (name !== 'content-type') return false;
  return namedCharsets(value).some((charset) => !READ_AS_UTF8.has(charset));
}
