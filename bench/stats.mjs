// The statistics every bench script reports its rounds with.

/**
 * The middle value; of an even count, the mean of the two middle ones (not the upper one, which
 * would flatter every ratio measured an even number of times).
 *
 * @example
 * median([3, 1, 2]); // 2
 * median([4, 1, 2, 3]); // 2.5
 */
export function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The lowest and highest value, to one decimal, as `low–high`.
 *
 * @example
 * range([2.04, 1.51, 3]); // '1.5–3.0'
 */
export const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
