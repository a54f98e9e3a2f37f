// Which environment variable each field of a configuration came from, so that an error about
// `userPoolId` also names `COGNITO_USER_POOL_ID`.

const sources = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * Records the variables a configuration's fields were read from.
 *
 * @example
 * ```ts
 * return withSource({ userPoolId }, { userPoolId: 'COGNITO_USER_POOL_ID' });
 * ```
 */
export function withSource<T extends object>(config: T, variables: Record<string, string>): T {
  sources.set(config, Object.freeze({ ...variables }));
  return config;
}

/**
 * Carries the recorded variables over to a copy (an adapter splitting off its own options).
 *
 * @example
 * ```ts
 * const { errors, ...core } = config;
 * sameSource(config, core);
 * ```
 */
export function sameSource<T extends object>(from: object, to: T): T {
  const variables = sources.get(from);
  if (variables) sources.set(to, variables);
  return to;
}

/**
 * The environment variable a configuration field came from, if any.
 *
 * @example
 * ```ts
 * variableOf(configFromEnv(process.env), 'userPoolId'); // 'COGNITO_USER_POOL_ID'
 * ```
 */
export function variableOf(config: object, field: string): string | undefined {
  return sources.get(config)?.[field];
}
