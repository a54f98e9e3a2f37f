// Multipart parsers agree on a part's name only when its headers are plain. Given a part with two
// Content-Disposition headers, or a name given twice, busboy (multer) takes the first and the
// platform's parser the last. An RFC 2231 `name*` is refused by Node 20's parser and read by
// Node 24's, busboy's and @fastify/busboy's, each its own way (`utf-8'en'%5Fmethod` is `_method`
// to one and `n'_method` to another). The guard reads the body with the platform's parser, so a
// part with such headers could name `_method` to the app and something else to the guard.

// Each line that opens a part (`--` and the boundary), and the header lines after it, up to the
// blank line. Any line that starts with `--` counts: the guard need not agree with a parser on the
// boundary. Each header line starts with one character that is neither CR nor LF (after an
// optional CR), so the pattern never backtracks.
const PART_HEADERS = /^--[^\n]*\n((?:\r?[^\r\n][^\n]*\n)*)/gm;
// A header line ends where the next one starts; a line that starts with a space or a tab continues
// the one before it (obsolete folding, which busboy reads).
const HEADER_FIELD_END = /\r?\n(?![ \t])/;
const DISPOSITION = /^content-disposition\s*:/i;
const EXTENDED_NAME = /(?:^|;)\s*name\s*\*/i;
const NAME = /(?:^|;)\s*name\s*=/gi;

/**
 * Whether a multipart body (its text, or its bytes read as latin1) has a part whose name parsers
 * read apart: two Content-Disposition headers, a `name` given twice, or an extended `name*`.
 * Browsers and the platform's FormData never send such a part. Text inside a part's value that
 * looks like one counts too: the stricter reading wins.
 *
 * @example
 * ```ts
 * ambiguousPartName('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'); // false
 * ambiguousPartName('--x\r\nContent-Disposition: form-data; name*=utf-8\'\'a\r\n\r\n1\r\n--x--'); // true
 * ```
 */
export function ambiguousPartName(body: string): boolean {
  for (const [, headers = ''] of body.matchAll(PART_HEADERS)) {
    const dispositions = headers.split(HEADER_FIELD_END).filter((field) => DISPOSITION.test(field));
    if (dispositions.length > 1) return true;
    const params = dispositions[0]?.slice(dispositions[0].indexOf(':') + 1) ?? '';
    if (EXTENDED_NAME.test(params) || (params.match(NAME)?.length ?? 0) > 1) return true;
  }
  return false;
}
