// A header reaches the guard as one string, a list of them (Node's `set-cookie`, a Lambda event's
// multi-value headers, a repeated header read by hand), or not at all; a value of another type
// is no header a parser reads.

/**
 * The string values of a header, however it was given: one, several, or none.
 *
 * @example
 * ```ts
 * headerValues('gzip'); // ['gzip']
 * headerValues(['a/b', 'c/d']); // ['a/b', 'c/d']
 * headerValues(undefined); // []
 * ```
 */
export function headerValues(value: unknown): string[] {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string');
}
