// parseConfig builds a strict object of only the options a configuration names. It must answer
// exactly what one strict object of every option answers: the same success, the same values and
// the same issues, for valid, invalid and misspelt options alike.

import fc from 'fast-check';
import * as z from 'zod/mini';
import { CONFIG_OPTIONS, parseConfig } from '../src/config/schema';
import { issuesOf } from '../src/config/zod-issues';

const everyOption = z.strictObject(
  Object.fromEntries(
    Object.entries(CONFIG_OPTIONS).map(([name, schema]) => [name, z.optional(schema())]),
  ),
);

const names = Object.keys(CONFIG_OPTIONS);
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 5000 }),
  fc.constantFrom('', 'access', 'id', 'RS256', 'eu-west-1_AbC', 'authorization', 'deny'),
  fc.array(fc.constantFrom('', 'a', 'RS256', 'alb', 'authorization'), { maxLength: 3 }),
  fc.constant({ maxEntries: 10 }),
  fc.constant({ timeoutMs: 0 }),
  fc.constant({ cookie: 'id' }),
  fc.constant(() => undefined),
  fc.constant({ warn: () => undefined }),
);
const config = fc.dictionary(
  fc.oneof(fc.constantFrom(...names), fc.constantFrom('userPoolID', 'clientIds', 'jwk', 'x')),
  anyValue,
  { maxKeys: 8 },
);

const outcome = (parsed: { success: boolean; data?: unknown; error?: z.core.$ZodError }) =>
  parsed.success ? { data: parsed.data } : { issues: issuesOf(parsed.error as z.core.$ZodError) };

describe('parseConfig, against one strict object of every option', () => {
  it('answers the same for any mix of options, values and unknown names', () => {
    fc.assert(
      fc.property(config, (input) => {
        expect(outcome(parseConfig(input))).toEqual(
          outcome(everyOption.safeParse(input, { reportInput: true })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('reads an option the configuration inherits, as a strict object of every option does', () => {
    const input = Object.create({ graceSeconds: -1 }) as object;
    expect(outcome(parseConfig(input))).toEqual(
      outcome(everyOption.safeParse(input, { reportInput: true })),
    );
    expect(parseConfig(input).success).toBe(false);
  });
});
