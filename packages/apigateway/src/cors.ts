// CORS as API Gateway configures it on an HTTP API: with it, API Gateway answers preflight
// requests itself, so a tokenless OPTIONS never reaches the authorizer or the integration.

import { checkCors } from './export-options';

/** The CORS settings of an exported HTTP API. */
export interface CorsSettings {
  /** Allowed origins, e.g. `['https://app.example.com']`. */
  readonly allowOrigins: readonly string[];
  /** Default `['GET', 'POST', 'PUT', 'PATCH', 'DELETE']`. */
  readonly allowMethods?: readonly string[] | undefined;
  /** Default `['authorization', 'content-type']`: the bearer token's header must be allowed. */
  readonly allowHeaders?: readonly string[] | undefined;
  /** Seconds a browser may cache a preflight's answer. Default 600. */
  readonly maxAge?: number | undefined;
}

/**
 * The `x-amazon-apigateway-cors` object of an HTTP API (also SAM's `CorsConfiguration`, whose
 * keys are the same words capitalised).
 *
 * @example
 * ```ts
 * corsConfiguration({ allowOrigins: ['https://app.example.com'] });
 * // { allowOrigins: ['https://app.example.com'], allowMethods: [...], allowHeaders: ['authorization', 'content-type'], maxAge: 600 }
 * ```
 */
export function corsConfiguration(given: CorsSettings) {
  const cors = checkCors(given);
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...(cors.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])],
    allowHeaders: [...(cors.allowHeaders ?? ['authorization', 'content-type'])],
    maxAge: cors.maxAge ?? 600,
  };
}
