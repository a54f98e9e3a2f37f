// Where a claim rule looks in a token: a top-level claim by name (`custom:tier`), or a value
// nested inside one by JSON Pointer (RFC 6901: `/tenant/id`, `/roles/0`), as pre-token
// generation v2 adds JSON objects and arrays to tokens. A pointer, unlike a dotted path, cannot
// be confused with a claim whose name holds a dot (`https://example.com/roles` has no leading
// slash, so it is a name).

import { ConfigError } from '../config/config-error';
import type { Claims } from '../token/principal';

/** What a claim path finds in a principal's claims. */
export type ClaimLookup =
  /** The value there (`undefined` when absent). */
  | { readonly value: unknown }
  /**
   * The claims came from an API Gateway authorizer, which turns nested objects and arrays into
   * strings in undocumented forms: the path cannot be read safely.
   */
  | { readonly ambiguous: true };

/** A compiled claim path. */
export interface ClaimPath {
  /** The path as written. */
  readonly text: string;
  /** Looks the path up; `stringified` says every claim value arrived as a string (API Gateway). */
  lookup(claims: Claims, stringified: boolean): ClaimLookup;
}

/**
 * Compiles a claim name or JSON Pointer. Throws a `ConfigError` for a pointer with a bad escape.
 *
 * @example
 * ```ts
 * compileClaimPath('/tenant/id').lookup({ tenant: { id: 't1' } }, false); // { value: 't1' }
 * compileClaimPath('custom:tier').lookup({ 'custom:tier': 'gold' }, false); // { value: 'gold' }
 * ```
 */
export function compileClaimPath(text: string, fn = 'requireClaim'): ClaimPath {
  if (typeof text !== 'string' || text === '' || text === '/') {
    throw new ConfigError(fn, [
      { field: 'name', message: 'must be a claim name or a JSON Pointer such as /tenant/id' },
    ]);
  }
  const segments = text.startsWith('/') ? pointerSegments(text, fn) : [text];
  const [first, ...rest] = segments as [string, ...string[]];
  return Object.freeze({
    text,
    lookup(claims: Claims, stringified: boolean): ClaimLookup {
      let value: unknown = Object.hasOwn(claims, first) ? claims[first] : undefined;
      if (stringified && typeof value === 'string' && (rest.length > 0 || looksEncoded(value))) {
        return AMBIGUOUS;
      }
      for (const segment of rest) value = child(value, segment);
      return { value };
    },
  });
}

const AMBIGUOUS: ClaimLookup = Object.freeze({ ambiguous: true });

// A string API Gateway may have made from an array (`[a b]`) or an object (`{k=v}`, `{"k":"v"}`).
function looksEncoded(value: string): boolean {
  const start = value.trimStart()[0];
  return start === '[' || start === '{';
}

function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) {
    return /^(?:0|[1-9]\d*)$/.test(segment) ? value[Number(segment)] : undefined;
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

function pointerSegments(pointer: string, fn: string): string[] {
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      if (/~(?![01])/.test(segment)) {
        throw new ConfigError(fn, [
          {
            field: 'name',
            message: `"${pointer}": "~" must be written ~0, and "/" inside a name ~1`,
          },
        ]);
      }
      return segment.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}
