// zod schemas are built on first use rather than when a module loads: building one costs tens of
// microseconds, the first of each kind far more, and a Lambda cold start pays for every schema a
// bundle builds at load, needed or not.

/**
 * Wraps a builder so that it runs on the first call and every later call answers that result.
 *
 * @example
 * ```ts
 * const nonEmpty = builtOnce(() => z.string().check(z.minLength(1)));
 * nonEmpty().safeParse('x'); // built here, reused afterwards
 * ```
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}
