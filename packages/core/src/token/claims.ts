// Normalise the shapes `cognito:groups` and scopes arrive in (raw JWT, REST and HTTP API authorizers).

/**
 * How a list claim was encoded:
 * - `'json'`: a real JSON array (raw JWT payload, REST JWT authorizer); a single string is one
 *   name, as aws-jwt-verify reads it;
 * - `'comma'`: the REST API Cognito authorizer's comma-joined string, `"a,b"`;
 * - `'bracket'`: the HTTP API JWT authorizer's bracketed, space-separated string, `"[a b]"`;
 * - `'auto'`: guess from the value (a string in brackets is read as `'bracket'`, else `'comma'`).
 */
export type ListClaimEncoding = 'json' | 'comma' | 'bracket' | 'auto';

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Turns a `cognito:groups` claim into a list of group names, whatever shape it arrived in.
 * Entries that are not non-empty strings are dropped: a hostile claim can only lose groups,
 * never gain one.
 *
 * Group names may not contain whitespace in Cognito, so the bracketed form is unambiguous. The
 * comma-joined form is not: a group literally named `"a,b"` reads as two groups. Prefer
 * verifying the token itself over trusting REST authorizer claims when names contain commas.
 *
 * @example
 * ```ts
 * normaliseGroups(['movies-group']);                   // ['movies-group']
 * normaliseGroups('movies-group,shows-group');         // ['movies-group', 'shows-group']
 * normaliseGroups('[movies-group shows-group]');       // ['movies-group', 'shows-group']
 * normaliseGroups(undefined);                          // []
 * ```
 */
export function normaliseGroups(
  value: unknown,
  encoding: ListClaimEncoding = 'auto',
): readonly string[] {
  if (Array.isArray(value)) return onlyStrings(value);
  if (typeof value !== 'string') return EMPTY;
  const text = value.trim();
  if (text === '') return EMPTY;
  if (encoding === 'json') return Object.freeze([text]);
  const bracketed = text.startsWith('[') && text.endsWith(']');
  if (encoding === 'bracket' || (encoding === 'auto' && bracketed)) {
    const inner = bracketed ? text.slice(1, -1) : text;
    return splitOn(inner, /\s/);
  }
  return splitOn(text, ',');
}

/**
 * Turns scopes into a list: the space-separated `scope` claim, the HTTP API authorizer's
 * `scopes` array, or its bracketed string form.
 *
 * @example
 * ```ts
 * normaliseScopes('openid movies/read'); // ['openid', 'movies/read']
 * normaliseScopes(['movies/read']);      // ['movies/read']
 * normaliseScopes(null);                 // []
 * ```
 */
export function normaliseScopes(value: unknown): readonly string[] {
  if (Array.isArray(value)) return onlyStrings(value);
  if (typeof value !== 'string') return EMPTY;
  const text = value.trim();
  const bracketed = text.startsWith('[') && text.endsWith(']');
  return splitOn(bracketed ? text.slice(1, -1) : text, /\s/);
}

/**
 * Tells whether a list claim's element is kept by normalisation: a non-empty string. A list whose
 * every element is kept normalises to itself.
 *
 * @example
 * ```ts
 * ['movies-group', 'editors'].every(isListItem); // true: already normalised
 * isListItem('');                                // false
 * ```
 */
export function isListItem(item: unknown): item is string {
  return typeof item === 'string' && item !== '';
}

function onlyStrings(values: readonly unknown[]): readonly string[] {
  const out: string[] = [];
  for (const item of values) {
    if (isListItem(item)) out.push(item);
  }
  return out;
}

function splitOn(text: string, separator: string | RegExp): readonly string[] {
  const out: string[] = [];
  for (const part of text.split(separator)) {
    const trimmed = part.trim();
    if (trimmed !== '') out.push(trimmed);
  }
  return out;
}
