// The operator's debug line about a denial: enabled by DEBUG or COGNITO_GUARD_LOG, never with
// the token or the query string in it.

import { InsufficientScopeError, InvalidTokenError } from '../src';
import { debugEnabled, describeDenial, logDenial } from '../src/decision/denial-log';
import { allowDecision, createPrincipal, denyDecision } from '../src/subpaths/advanced';

describe('denial debug log', () => {
  it.each([
    [{ DEBUG: 'cognito-guard' }, true],
    [{ DEBUG: 'express:*, cognito-guard' }, true],
    [{ DEBUG: '*' }, true],
    [{ DEBUG: 'express:*' }, false],
    [{ COGNITO_GUARD_LOG: 'debug' }, true],
    [{ COGNITO_GUARD_LOG: ' DEBUG ' }, true],
    [{ COGNITO_GUARD_LOG: 'warn' }, false],
    [{}, false],
  ])('debugEnabled(%j) is %s', (env, enabled) => {
    expect(debugEnabled(env)).toBe(enabled);
  });

  const principal = createPrincipal({
    claims: { sub: 'user-1', 'cognito:groups': ['shows-group'] },
    userPoolId: 'p',
    issuer: 'i',
    token: 'eyJ.secret.token',
  });

  it('says where, why, what was expected and who asked; never the token or the query', () => {
    const denied = denyDecision(
      new InsufficientScopeError({
        reason: 'group_missing',
        description: 'The token does not grant access to this resource',
        detail: 'rule groups any of [movies-group]',
      }),
      principal,
      {
        method: 'GET',
        path: '/movies?access_token=eyJ.secret.token',
        route: 'GET /movies',
        startedAt: 0,
      },
    );
    const line = describeDenial(denied);
    expect(line).toBe(
      'cognito-guard: denied GET /movies (route GET /movies): 403 group_missing; rule groups any of [movies-group]; caller sub=user-1 groups=[shows-group]',
    );
    expect(line).not.toContain('secret');
  });

  it('marks a missing method or path, and lists every group of the caller', () => {
    const caller = createPrincipal({
      claims: { sub: 'user-2', 'cognito:groups': ['shows-group', 'movies-fans'] },
      userPoolId: 'p',
      issuer: 'i',
      token: 'eyJ.other.token',
    });
    const denied = denyDecision(new InsufficientScopeError({ reason: 'group_missing' }), caller, {
      method: '',
      path: '?access_token=eyJ.other.token',
      startedAt: 0,
    });
    expect(describeDenial(denied)).toBe(
      'cognito-guard: denied ? ?: 403 group_missing; caller sub=user-2 groups=[shows-group, movies-fans]',
    );
  });

  it('falls back to the description without detail, and says nothing of allowed requests', () => {
    const denied = denyDecision(
      new InvalidTokenError({ reason: 'issuer_invalid', description: 'unexpected issuer' }),
      undefined,
      { method: 'POST', path: '/x', startedAt: 0 },
    );
    expect(describeDenial(denied)).toBe(
      'cognito-guard: denied POST /x: 401 issuer_invalid; unexpected issuer',
    );
    expect(describeDenial(allowDecision('rule_satisfied', principal, { startedAt: 0 }))).toBe('');
  });

  it('logs only when enabled, only denials, and only through a logger with debug', () => {
    const lines: string[] = [];
    const logger = { warn: () => undefined, debug: (m: string) => lines.push(m) };
    const denied = denyDecision(new InvalidTokenError({ reason: 'token_invalid' }), undefined, {
      startedAt: 0,
    });
    logDenial(logger, denied, false);
    logDenial(logger, allowDecision('anonymous', undefined, { startedAt: 0 }), true);
    logDenial({ warn: () => undefined }, denied, true);
    expect(lines).toEqual([]);
    logDenial(logger, denied, true);
    expect(lines).toEqual(['cognito-guard: denied ? ?: 401 token_invalid']);
  });
});
