// Which environment variable each field of a configuration came from, so that an error about
// `userPoolId` also names `COGNITO_USER_POOL_ID`. The record rides on the configuration itself,
// under a symbol, so that a copy made with a spread (`{ ...configFromEnv(process.env), telemetry }`)
// or a rest (`const { errors, ...core } = config`) still names the variables; and it holds each
// field's value, so that a field the copy replaced names none.

const SOURCE = Symbol('cognito-guard.source');

type Recorded = Readonly<Record<string, { readonly variable: string; readonly value: unknown }>>;

/**
 * Records the variables a configuration's fields were read from.
 *
 * @example
 * ```ts
 * return withSource({ userPoolId }, { userPoolId: 'COGNITO_USER_POOL_ID' });
 * ```
 */
export function withSource<T extends object>(config: T, variables: Record<string, string>): T {
  const recorded: Record<string, { variable: string; value: unknown }> = {};
  for (const [field, variable] of Object.entries(variables)) {
    recorded[field] = { variable, value: (config as Record<string, unknown>)[field] };
  }
  // Enumerable, so that a spread copies it; a symbol, so that no schema or JSON sees it.
  Object.defineProperty(config, SOURCE, { value: Object.freeze(recorded), enumerable: true });
  return config;
}

/**
 * The environment variable a configuration field came from, if it still holds the value read
 * from there.
 *
 * @example
 * ```ts
 * variableOf(configFromEnv(process.env), 'userPoolId'); // 'COGNITO_USER_POOL_ID'
 * variableOf({ ...configFromEnv(process.env), userPoolId: 'eu-west-1_Other' }, 'userPoolId'); // undefined
 * ```
 */
export function variableOf(config: object, field: string): string | undefined {
  const entry = (config as { [SOURCE]?: Recorded })[SOURCE]?.[field];
  const value = (config as Record<string, unknown>)[field];
  return entry !== undefined && Object.is(entry.value, value) ? entry.variable : undefined;
}
