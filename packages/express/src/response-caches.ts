// A response cache mounted before the guard (apicache's `app.use(cache('5 minutes'))`, its
// README's first example) stores every answer by URL and replays it to the next request
// without calling anything after it: a caller's answer would reach a request with no token at
// all, the guard never asked, and one caller's denial would refuse the next caller. apicache
// ignores `Cache-Control: private` and `no-store`, so the guard keeps the answers it decides
// for a caller out of that cache itself, and says so once.

import type { Logger } from '@cognito-guard/core';

/** What apicache hangs on a response it will store when it ends. */
interface ApicacheResponse {
  _apicache?: { cacheable?: unknown };
}

/**
 * Builds the check for one middleware, run on each request it decides for a caller (a denial,
 * or a pass with a principal): when an apicache middleware before it will store the answer, the
 * answer is kept out of that cache, and the operator is told once how to mount it.
 *
 * @example
 * ```ts
 * const keepOutOfResponseCaches = responseCacheCheck(logger);
 * keepOutOfResponseCaches(res); // before answering a denial, or next() for a caller
 * ```
 */
export function responseCacheCheck(logger: Logger): (res: object) => void {
  let warned = false;
  return (res) => {
    const pending = (res as ApicacheResponse)._apicache;
    if (typeof pending?.cacheable !== 'boolean') return;
    pending.cacheable = false;
    if (warned) return;
    warned = true;
    logger.warn(
      'cognito-guard: an apicache middleware runs before this guard and would replay the answers it decides to requests it never sees; they are kept out of it. Mount the cache after the guard, or give it a toggle that skips requests that carry a token (an Authorization header, or the token cookie)',
    );
  };
}
