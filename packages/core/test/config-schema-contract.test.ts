// parseConfig builds a strict object of only the options a configuration names. It must answer
// exactly what one strict object of every option answers: the same success, the same values and
// the same issues, for valid, invalid and misspelt options alike.

import fc from 'fast-check';
import * as z from 'zod/mini';
import { CONFIG_OPTIONS, parseConfig, poolResolverSchema, poolSchema } from '../src/config/schema';
import { issuesOf } from '../src/config/zod-issues';
import { ruleSchema } from '../src/policy/rule-json';

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

// Every key a configuration, pool, resolver or rule schema accepts, found by walking the schemas,
// so that a key added to a schema without a "did you mean" entry fails here.
function keysOf(schema: z.core.$ZodType): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string) => keysOf(def[key] as z.core.$ZodType);
  switch (def.type) {
    case 'object': {
      const shape = def['shape'] as Record<string, z.core.$ZodType>;
      return [...Object.keys(shape), ...Object.values(shape).flatMap(keysOf)];
    }
    case 'array':
      return inner('element');
    case 'optional':
    case 'nullable':
      return inner('innerType');
    case 'record':
      return inner('valueType');
    case 'union':
      return (def['options'] as z.core.$ZodType[]).flatMap(keysOf);
    default:
      return [];
  }
}

// The issues of `input` under `schema`, in issuesOf's words; suggestions from `names` when given.
function issues(schema: z.core.$ZodType, input: unknown, names?: readonly string[]) {
  const parsed = z.safeParse(schema, input);
  return parsed.success ? [] : issuesOf(parsed.error, names);
}

describe('"did you mean" for option names', () => {
  const schemas = [
    ...Object.values(CONFIG_OPTIONS).map((schema) => schema()),
    poolSchema(),
    poolResolverSchema(),
    ruleSchema(),
  ];
  const optionNames = [
    ...new Set([...Object.keys(CONFIG_OPTIONS), ...schemas.flatMap(keysOf)]),
    // The route policy's own keys: its schema is not exported.
    ...['defaultAction', 'basePath', 'routes'],
  ];

  it.each(optionNames)('suggests %s for the name with its last letter dropped', (name) => {
    const slip = name.slice(0, -1);
    expect(issues(z.strictObject({}), { [slip]: 1 })).toEqual([
      { field: slip, message: `is not a known option; did you mean "${name}"?` },
    ]);
  });

  it('finds the options of every schema, nested ones included', () => {
    expect(optionNames).toEqual(
      expect.arrayContaining(['userPoolId', 'maxEntries', 'unknownKidCooldownSeconds', 'store']),
    );
    expect(optionNames).toEqual(expect.arrayContaining(['replicaRegions', 'maxPools', 'caller']));
  });
});

describe('issuesOf', () => {
  it('words a bound, a missing key and a check of no known kind, where the schema gave no words', () => {
    const schema = z.strictObject({
      count: z.number().check(z.gte(1)),
      code: z.string().check(z.maxLength(2)),
      name: z.string().check(z.regex(/^[a-z]+$/)),
      needed: z.string(),
    });
    expect(issues(schema, { count: 0, code: 'abc', name: 'A1' })).toEqual([
      { field: 'count', message: 'must be at least 1' },
      { field: 'code', message: 'must be at most 2' },
      { field: 'name', message: 'is invalid' },
      { field: 'needed', message: 'is required' },
    ]);
  });

  it('keeps the words a schema gave', () => {
    const schema = z.strictObject({ count: z.number().check(z.gte(1, 'must be one or more')) });
    expect(issues(schema, { count: 0 })).toEqual([
      { field: 'count', message: 'must be one or more' },
    ]);
  });

  it('suggests from the names it is given, in place of the guard options', () => {
    expect(issues(z.strictObject({}), { keyPrefx: 'a' })).toEqual([
      { field: 'keyPrefx', message: 'is not a known option' },
    ]);
    expect(issues(z.strictObject({}), { keyPrefx: 'a' }, ['url', 'keyPrefix'])).toEqual([
      { field: 'keyPrefx', message: 'is not a known option; did you mean "keyPrefix"?' },
    ]);
  });
});
