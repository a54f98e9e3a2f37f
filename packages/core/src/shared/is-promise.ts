// The pipeline stays synchronous wherever it can (a cached token, a synchronous rule) and
// only becomes a promise when a step is asynchronous; this tells the two apart.

/**
 * Whether a value is a promise (a thenable), rather than the value itself.
 *
 * @example
 * ```ts
 * const verdict = rule.check(principal);
 * if (isPromise(verdict)) return verdict.then(conclude);
 * ```
 */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
