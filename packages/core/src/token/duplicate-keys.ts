// Detects JSON objects with a repeated key. Parsers disagree on which copy wins (first or last),
// so a token carrying one could mean one thing to us and another to API Gateway: refuse it.

/**
 * Tells whether a JSON text has an object with the same key twice, at any depth, key by key.
 * Reads the text once; invalid JSON answers `false` (the parser refuses it anyway). For a text
 * `JSON.parse` reads as it is, {@link keysSpelled} against {@link keysHeld} answers the same for
 * a third of the cost.
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
      // A key, if the innermost container is an object: the key check above finds its set.
      expectKey = true;
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

/**
 * How many keys a JSON text spells, in every object at any depth: its colons outside strings,
 * since in JSON nothing else puts a colon there. For a text `JSON.parse` accepts, more keys
 * spelled than {@link keysHeld} by the parsed value means a key was repeated (the engine keeps
 * one copy of each, whatever escapes spell it).
 *
 * @example
 * ```ts
 * keysSpelled('{"a":1,"a":2,"b":{"c":"d:e"}}'); // 4
 * ```
 */
export function keysSpelled(json: string): number {
  let count = 0;
  let i = 0;
  for (;;) {
    const quote = json.indexOf('"', i);
    const end = quote === -1 ? json.length : quote;
    for (; i < end; i++) if (json.charCodeAt(i) === 0x3a /* : */) count++;
    if (quote === -1) return count;
    // The closing quote is the next one after an even run of backslashes (none, or escaped ones).
    let close = quote;
    for (;;) {
      close = json.indexOf('"', close + 1);
      if (close === -1) return count;
      let slashes = 0;
      while (json.charCodeAt(close - 1 - slashes) === 0x5c /* \ */) slashes++;
      if (slashes % 2 === 0) break;
    }
    i = close + 1;
  }
}

/**
 * How many own keys a parsed JSON value holds, in every object at any depth (without recursion,
 * so a deeply nested value cannot overflow the stack).
 *
 * @example
 * ```ts
 * keysHeld(JSON.parse('{"a":2,"b":{"c":"d:e"}}')); // 3
 * ```
 */
export function keysHeld(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object') continue;
    const isList = Array.isArray(next);
    const children: readonly unknown[] = isList ? next : Object.values(next);
    if (!isList) count += children.length;
    for (const child of children) {
      if (child !== null && typeof child === 'object') pending.push(child);
    }
  }
  return count;
}
