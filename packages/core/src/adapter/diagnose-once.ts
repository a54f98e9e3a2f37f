// Some topologies let a framework route a request around a guard it holds (a @koa/router
// `use()`, an Express `app.use(path)` in a case-sensitive app), or run the app's own code before
// it (param callbacks). The guard cannot refuse requests it never sees, but from the first it does
// see it can look at the app around it and say so.

/**
 * Wraps an adapter's looks at the app around its guard so that they run once, on the first input
 * there is (`ctx.router`, `req.app`), and never throw: an app of a shape one of them does not
 * know is nothing to say, and the others still look. A diagnostic only; it never decides. Each
 * request pays one call, however many looks there are.
 *
 * @example
 * ```ts
 * const checkRouter = diagnoseOnce(
 *   (router: RouterLike) => { if (skipsGuard(router)) logger.warn('cognito-guard: …'); },
 *   (router: RouterLike) => { if (runsParamsFirst(router)) logger.warn('cognito-guard: …'); },
 * );
 * checkRouter(ctx.router); // on every request; only the first with a router looks
 * ```
 */
export function diagnoseOnce<T>(
  ...diagnoses: readonly ((input: T) => void)[]
): (input: T | undefined) => void {
  let done = false;
  return (input) => {
    if (done || input === undefined) return;
    done = true;
    for (const diagnose of diagnoses) {
      try {
        diagnose(input);
      } catch {
        // An app of another shape: nothing to say.
      }
    }
  };
}
