// Some topologies let a framework route a request around a guard it holds (a @koa/router
// `use()`, an Express `app.use(path)` in a case-sensitive app). The guard cannot refuse requests
// it never sees, but from the first it does see it can look at the app around it and say so.

/**
 * Wraps an adapter's look at the app around its guard so that it runs once, on the first input
 * there is (`ctx.router`, `req.app`), and never throws: an app of a shape it does not know is
 * nothing to say. A diagnostic only; it never decides.
 *
 * @example
 * ```ts
 * const checkRouter = diagnoseOnce((router: RouterLike) => {
 *   if (skipsGuard(router)) logger.warn('cognito-guard: …');
 * });
 * checkRouter(ctx.router); // on every request; only the first with a router looks
 * ```
 */
export function diagnoseOnce<T>(diagnose: (input: T) => void): (input: T | undefined) => void {
  let done = false;
  return (input) => {
    if (done || input === undefined) return;
    done = true;
    try {
      diagnose(input);
    } catch {
      // An app of another shape: nothing to say.
    }
  };
}
