// Tests against a real Redis wait for what happens in its own time (a reconnection, a log line,
// a closed connection), generously: no timing is asserted, only what is read at the end.

/**
 * Reads `read()` every `everyMs` until `done` holds of its value or `withinMs` has passed, and
 * answers the last value read, for the test to assert on.
 *
 * @example
 * ```ts
 * expect(await pollUntil(connections, (count) => count === 1)).toBe(1);
 * ```
 */
export async function pollUntil<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { withinMs = 10_000, everyMs = 20 }: { withinMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}
