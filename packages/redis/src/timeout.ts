// Every wait on Redis has an end: a hung or vanished node must not hang a logout, a request, or
// the store's search for the node that serves its slot.

/**
 * Rejects when `promise` has not settled within `ms` (then calls `onTimeout`, to close what the
 * promise was waiting on); never keeps the process alive by itself.
 *
 * @example
 * ```ts
 * await withTimeout(client.connect(), 2_000, () => client.destroy());
 * ```
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`Redis did not answer within ${ms} ms`));
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
