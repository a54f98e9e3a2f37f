// The one error thrown for bad configuration, at start-up, naming every bad field.

/** One bad field of a configuration. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `pools.0.clientId`. */
  readonly field: string;
  readonly message: string;
}

/**
 * Thrown when configuration (or a rule's arguments) is invalid. Its message names every bad
 * field, so a misconfigured service fails at start-up instead of on the first request.
 *
 * @example
 * ```ts
 * try {
 *   createGuard({ userPoolId: '' });
 * } catch (err) {
 *   if (err instanceof ConfigError) console.error(err.issues.map((i) => i.field)); // ['userPoolId', 'clientId']
 * }
 * ```
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(subject: string, issues: readonly ConfigIssue[]) {
    super(
      `Invalid ${subject}: ${issues.map((issue) => `${issue.field || '(root)'}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
