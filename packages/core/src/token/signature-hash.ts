// The end of a JWT is its signature: random bits that a few characters hash well, with no string
// to slice.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a over `length` characters of `token`, ending `fromEnd` characters before its end, as an
 * unsigned 32-bit integer. Tokens shorter than that hash over what they have.
 *
 * @example
 * ```ts
 * const key = signatureHash(token, 0, 8);   // the last 8 characters
 * const other = signatureHash(token, 8, 8); // the 8 before them
 * ```
 */
export function signatureHash(token: string, fromEnd: number, length: number): number {
  let hash = FNV_OFFSET;
  const end = token.length - fromEnd;
  for (let i = Math.max(0, end - length); i < end; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), FNV_PRIME);
  }
  return hash >>> 0;
}
