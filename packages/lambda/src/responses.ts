// Denials in the response shape each event source expects.

import type { AuthError } from '@cognito-guard/core';
import { renderDenial } from '@cognito-guard/core/adapter';
import type { ReadEvent } from './events';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

/** A proxy-integration response (API Gateway REST and HTTP APIs, Function URLs, ALB). */
export interface HttpResponse {
  statusCode: number;
  /** ALB only. */
  statusDescription?: string;
  headers?: Record<string, string>;
  /** ALB with multi-value headers enabled. */
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * The response that denies a request, with the core's status, `WWW-Authenticate` and JSON body.
 * ALB gets `statusDescription`, and multi-value headers when its target group uses them.
 *
 * @example
 * ```ts
 * if (!decision.allowed) return denyResponse(read, decision.error);
 * ```
 */
export function denyResponse(
  read: Pick<ReadEvent, 'source' | 'multiValue'>,
  error: AuthError,
): HttpResponse {
  const denial = renderDenial(error);
  const headers = { ...denial.headers };
  const response: HttpResponse = {
    statusCode: denial.status,
    body: denial.body,
    isBase64Encoded: false,
  };
  if (read.source === 'alb') {
    response.statusDescription = `${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`;
  }
  if (read.multiValue) {
    response.multiValueHeaders = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, [v]]),
    );
  } else {
    response.headers = headers;
  }
  return response;
}
