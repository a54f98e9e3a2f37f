// Under which Content-Types a raw body is read as multipart parts. Parsers disagree on both what
// is multipart and where its boundary is:
// - busboy (multer), @fastify/busboy and the platform's parser read only multipart/form-data;
// - koa-body hands formidable any `multipart/*` body, and formidable itself reads any
//   Content-Type that says "multipart" anywhere, with the text after its first `boundary=`,
//   whatever comes before it (`xboundary=a; boundary=b` is `a` to it, `b` to the others);
// - multiparty reads multipart/form-data and multipart/related, with the first `boundary`
//   parameter.
// The guard reads the parts under each boundary any of them takes, with the platform's parser.

// formidable's own tests: anything that says multipart, and its boundary pattern.
const SAYS_MULTIPART = /multipart/i;
const FIRST_BOUNDARY = /boundary=(?:"([^"]+)"|([^;]+))/i;
// Every `boundary` parameter, its quoted value unescaped as MIME parsers do.
const BOUNDARY_PARAMS = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gi;
// What browsers and most clients send: every parser reads the same boundary in it.
const PLAIN_FORM_DATA = /^multipart\/form-data; ?boundary=[0-9A-Za-z'()+_,./:?-]{1,70}$/i;

/**
 * Whether a Content-Type header's value makes some parser read the body as multipart parts.
 *
 * @example
 * ```ts
 * saysMultipart('multipart/mixed; boundary=x'); // true: koa-body and formidable read it
 * saysMultipart('application/json'); // false
 * ```
 */
export function saysMultipart(contentType: string): boolean {
  return SAYS_MULTIPART.test(contentType);
}

/**
 * The Content-Types to read a multipart body under with the platform's parser, so that each part
 * any parser reads is read: a form-data type as it came, and `multipart/form-data` with each
 * boundary some parser takes from it. None for a type only formidable and multiparty read, when
 * the body's text (latin1) cannot name `_method` to them: they decode no part's name.
 *
 * @example
 * ```ts
 * multipartReadings('multipart/form-data; boundary=x', text); // ['multipart/form-data; boundary=x']
 * multipartReadings('multipart/mixed; xboundary=a; boundary=b', '…_method…');
 * // ['multipart/form-data; boundary="a"', 'multipart/form-data; boundary="b"']
 * ```
 */
export function multipartReadings(contentType: string, text: string): string[] {
  if (PLAIN_FORM_DATA.test(contentType)) return [contentType];
  const formData = contentType.split(';', 1)[0]?.trim().toLowerCase() === 'multipart/form-data';
  if (!formData && !text.includes('_method')) return [];
  const first = FIRST_BOUNDARY.exec(contentType);
  const boundaries = new Set(first ? [first[1] ?? first[2] ?? ''] : []);
  for (const [, quoted, token] of contentType.matchAll(BOUNDARY_PARAMS)) {
    boundaries.add(quoted === undefined ? (token ?? '') : quoted.replace(/\\(.)/g, '$1'));
  }
  const readings = [...boundaries]
    .filter((boundary) => boundary !== '')
    .map((boundary) => `multipart/form-data; boundary="${boundary.replace(/[\\"]/g, '\\$&')}"`);
  return formData ? [contentType, ...readings] : readings;
}
