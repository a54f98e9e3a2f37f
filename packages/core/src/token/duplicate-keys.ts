// Detects JSON objects with a repeated key. Parsers disagree on which copy wins (first or last),
// so a token carrying one could mean one thing to us and another to API Gateway: refuse it.

/**
 * Tells whether a JSON text has an object with the same key twice, at any depth. Reads the text
 * once; invalid JSON answers `false` (the parser refuses it anyway).
 *
 * @example
 * ```ts
 * hasDuplicateKeys('{"a":1,"a":2}'); // true
 * hasDuplicateKeys('{"a":{"a":1}}'); // false
 * ```
 */
export function hasDuplicateKeys(json: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i + 1;
      let escaped = false;
      for (i = start; i < json.length; i++) {
        const c = json.charCodeAt(i);
        if (c === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (c === 0x22) break;
      }
      if (expectKey) {
        const raw = json.slice(start, i);
        // Escapes can spell the same key differently ("a" vs "\u0061"): compare decoded keys.
        const key = escaped ? decode(raw) : raw;
        const keys = stack[stack.length - 1];
        if (keys) {
          if (keys.has(key)) return true;
          keys.add(key);
        }
        expectKey = false;
      }
    } else if (ch === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === 0x5b /* [ */) {
      stack.push(null);
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
    } else if (ch === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0;
    }
  }
  return false;
}

function decode(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
