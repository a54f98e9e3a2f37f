// Where a query, a form or a raw body names a method override: its `_method` fields. One rule
// for every place that reads them, parsed or raw.

const FIELD = '_method';
// Where a form or JSON text could name the field: each character literal or escaped (`%5F` in a
// form, `\u005f` in JSON). Text no pattern matches is not parsed, so a large upload costs a
// scan, not a parse; a match that names something else is settled by the parse.
const FORM_NAME =
  /(?:^|&)(?:_|%5f)(?:m|%6d)(?:e|%65)(?:t|%74)(?:h|%68)(?:o|%6f)(?:d|%64)(?:$|[=&[]|%5b)/i;
const JSON_KEY =
  /"(?:_|\\u005f)(?:m|\\u006d)(?:e|\\u0065)(?:t|\\u0074)(?:h|\\u0068)(?:o|\\u006f)(?:d|\\u0064)"\s*:/i;

/**
 * The values of the `_method` fields among a form's or a query's fields, including qs's list
 * syntax (`_method[]`, `_method[0]`), which Express 4's default parsers and multer turn into a
 * list whose first value a method override takes.
 *
 * @example
 * ```ts
 * overrideFieldValues(new URLSearchParams('_method=PUT&_method%5B%5D=DELETE&x=1')); // ['PUT', 'DELETE']
 * overrideFieldValues(await request.formData());
 * ```
 */
export function overrideFieldValues<V>(fields: Iterable<readonly [string, V]>): V[] {
  const values: V[] = [];
  for (const [name, value] of fields) {
    if (name === FIELD || name.startsWith(`${FIELD}[`)) values.push(value);
  }
  return values;
}

/**
 * The `_method` values of a raw body that a parser has yet to read, as a URL-encoded form and as
 * JSON, whatever its Content-Type says: a parser may be set to read any body
 * (`express.json({ type: '*\/*' })`). Bytes are scanned as latin1, which reads the ASCII patterns
 * as UTF-8 does, and decoded as UTF-8 only on a match.
 *
 * @example
 * ```ts
 * rawBodyMethods(Buffer.from('title=x&_method=DELETE')); // ['DELETE']
 * rawBodyMethods('{"_method":["PUT"]}'); // ['PUT']
 * ```
 */
export function rawBodyMethods(body: string | Uint8Array): unknown[] {
  // Parsers decode UTF-8 as TextDecoder and iconv-lite do, dropping a leading byte order mark:
  // Express's, Koa's and Hono's read `\uFEFF_method=DELETE` as naming `_method`.
  if (typeof body === 'string') {
    const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
    return textMethods(text, () => text);
  }
  const bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  const bytes = Buffer.from(body.buffer, body.byteOffset + bom, body.byteLength - bom);
  return textMethods(bytes.toString('latin1'), () => bytes.toString('utf8'));
}

// `scanned` is what the patterns look in; `text` is decoded only when one matches.
function textMethods(scanned: string, text: () => string): unknown[] {
  return [
    ...(FORM_NAME.test(scanned) ? overrideFieldValues(new URLSearchParams(text())) : []),
    ...(JSON_KEY.test(scanned) ? jsonValues(text()) : []),
  ];
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
