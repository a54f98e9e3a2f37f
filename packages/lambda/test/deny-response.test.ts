// A denial in each source's response shape: the status line an ALB needs (`statusDescription`),
// the multi-value headers its target group may use, and the same headers and body everywhere.

import {
  InsufficientScopeError,
  InvalidRequestError,
  KeysUnavailableError,
  MissingTokenError,
} from '@cognito-guard/core';
import { denyResponse } from '../src';

describe('denyResponse', () => {
  const errors = [
    [
      new InvalidRequestError({ reason: 'request_unreadable', description: 'x' }),
      '400 Bad Request',
    ],
    [new MissingTokenError(), '401 Unauthorized'],
    [new InsufficientScopeError({ reason: 'group_missing', description: 'x' }), '403 Forbidden'],
    [new KeysUnavailableError({ retryAfterSeconds: 5 }), '503 Service Unavailable'],
  ] as const;

  it('gives an ALB the status line of each status a denial has', () => {
    for (const [error, line] of errors) {
      const res = denyResponse({ source: 'alb', multiValue: false }, error);
      expect(res).toMatchObject({ statusCode: error.status, statusDescription: line });
    }
  });

  it('gives every other source no status line, and multi-value headers where the ALB uses them', () => {
    const [error] = errors[3];
    const plain = denyResponse({ source: 'http', multiValue: false }, error);
    expect(plain).not.toHaveProperty('statusDescription');
    expect(plain.headers).toMatchObject({ 'Retry-After': '5', 'Cache-Control': 'no-store' });
    const multi = denyResponse({ source: 'alb', multiValue: true }, error);
    expect(multi).not.toHaveProperty('headers');
    expect(multi.multiValueHeaders).toMatchObject({ 'Retry-After': ['5'] });
    expect(multi.body).toBe(plain.body);
  });
});
