// Two ways to find a repeated JSON key must agree: the key-by-key scan (hasDuplicateKeys) and
// counting (the keys a text spells against the keys JSON.parse keeps), which the verifier uses
// on texts the engine parses as they are. Differential over generated JSON, with repeated keys,
// keys spelt through escapes, colons and quotes inside strings, nesting and whitespace.

import fc from 'fast-check';
import { hasDuplicateKeys, keysHeld, keysSpelled } from '../src/token/duplicate-keys';

type Json = null | boolean | number | string | Json[] | { entries: [string, number, Json][] };

// A few keys, so that objects often repeat one; each occurrence spelt one of several ways.
const key = fc.constantFrom('a', 'b', 'cognito:groups', 'q"uote', 'sl/ash', 'back\\slash', 'é');
function spell(text: string, style: number): string {
  const plain = JSON.stringify(text);
  if (style % 3 === 1) return plain.replaceAll('/', '\\/');
  if (style % 3 === 2) {
    const first = text.codePointAt(0) ?? 0x61;
    return `"\\u${first.toString(16).padStart(4, '0')}${JSON.stringify(text.slice(1)).slice(1)}`;
  }
  return plain;
}

const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1.5),
    fc.string({ unit: fc.constantFrom('a', ':', '"', '\\', ',', '{', ' ', '/') }),
    // A string value spelt as a key of its object: a value, not a second key.
    key,
    fc.array(tie('json'), { maxLength: 4 }),
    fc
      .array(fc.tuple(key, fc.nat(), tie('json')), { maxLength: 5 })
      .map((entries) => ({ entries })),
  ),
}));

function serialise(value: Json, gap: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => serialise(v, gap)).join(`,${gap}`)}]`;
  if (value !== null && typeof value === 'object') {
    const members = value.entries.map(
      ([name, style, v]) => `${spell(name, style)}${gap}:${gap}${serialise(v, gap)}`,
    );
    return `{${gap}${members.join(`,${gap}`)}${gap}}`;
  }
  return typeof value === 'string' ? spell(value, 0) : JSON.stringify(value);
}

describe('repeated JSON keys', () => {
  it('counting finds exactly the texts the key-by-key scan finds', () => {
    fc.assert(
      fc.property(json, fc.constantFrom('', ' ', '\n\t'), (value, gap) => {
        const text = serialise(value, gap);
        const parsed: unknown = JSON.parse(text);
        expect(keysSpelled(text) !== keysHeld(parsed)).toBe(hasDuplicateKeys(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts a repeat however it is spelt, and no colon inside a string', () => {
    const cases: [string, boolean][] = [
      ['{"a":1,"a":2}', true],
      ['{"a":1,"\\u0061":2}', true],
      ['{"a/b":1,"a\\/b":2}', true],
      ['{"a":{"a":1}}', false],
      ['[{"a":1},{"a":2}]', false],
      ['{"x":"a\\":b","y":"\\\\","z":":"}', false],
      ['{"x":[{"k":1,"k":1}]}', true],
      ['{"b":"a","a":1}', false],
      ['{"a":["a","a"],"b":["b"]}', false],
      ['["a","a",{"a":1}]', false],
      ['{"a":{"b":1},"b":2}', false],
      ['{"a":1,"b":{"c":[1,{"d":2}]},"a":3}', true],
      ['{"a":[1,2],"b":"a"}', false],
    ];
    for (const [text, repeated] of cases) {
      expect(keysSpelled(text) !== keysHeld(JSON.parse(text))).toBe(repeated);
      expect(hasDuplicateKeys(text)).toBe(repeated);
    }
  });

  it('answers texts JSON.parse refuses without throwing: the verifier asks after a parse failed', () => {
    const cases: [string, boolean][] = [
      ['{["a","a"', false],
      ['1,"a","a"', false],
      ['}}"a":1,"a":2', false],
      ['{"\\x":1,"\\y":2}', false],
      ['{"\\x":1,"\\x":2}', true],
      ['{"a":1,"a"', true],
    ];
    for (const [text, repeated] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect([text, hasDuplicateKeys(text)]).toEqual([text, repeated]);
    }
    // A string that never closes ends the count where it starts.
    expect(keysSpelled('{"a":1,"b:2')).toBe(1);
  });

  it('counts a deeply nested value without recursion', () => {
    const deep = `${'['.repeat(50_000)}{"a":1}${']'.repeat(50_000)}`;
    expect(keysHeld(JSON.parse(deep))).toBe(1);
    expect(keysSpelled(deep)).toBe(1);
  });
});
