// The kit refuses options it would otherwise mint another token or event from than the test
// meant: a test of a refusal must not pass because its token lacks what it was meant to carry.

import fc from 'fast-check';
import {
  albEvent,
  BROKEN_TOKEN_KINDS,
  createAlbSigner,
  createTestIssuer,
  decodeJwt,
  functionUrlEvent,
  httpApiEvent,
  httpAuthorizerEvent,
  latticeEvent,
  requestAuthorizerEvent,
  restProxyEvent,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '../src';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer().start();
});
afterAll(() => issuer.stop());

const TOKEN_OPTIONS =
  'sub, username, groups, scopes, expiresIn, notBefore, clientId, issuer, kid, claims, header, preTokenGeneration';

describe('token options', () => {
  it.each([
    [{ group: ['admins'] }, `group: is not an option (${TOKEN_OPTIONS})`],
    [{ groups: 'admins' }, 'groups: must be array'],
    [{ groups: ['admins', 1] }, 'groups.1: must be string'],
    [{ expiresIn: '60' }, 'expiresIn: must be number'],
    [{ claims: 'custom:tier=gold' }, 'claims: must be record'],
    [null, '(options): must be object'],
  ])('accessToken(%j) is refused: %s', (options, problem) => {
    expect(() => issuer.accessToken(options as never)).toThrow(
      new TypeError(`Invalid accessToken options: ${problem}`),
    );
  });

  it('names every kit function and its own options', () => {
    expect(() => issuer.idToken({ attributes: { tier: 1 } } as never)).toThrow(
      new TypeError('Invalid idToken options: attributes.tier: must be string'),
    );
    expect(() => issuer.idToken({ emailVerified: 'yes' } as never)).toThrow(
      'Invalid idToken options: emailVerified: must be boolean',
    );
    // A machine token has no user: a group given to it would be silently dropped.
    expect(() => issuer.clientCredentialsToken({ groups: ['admins'] } as never)).toThrow(
      'Invalid clientCredentialsToken options: groups: is not an option (',
    );
    expect(() => issuer.brokenToken('expired', { grups: ['a'] } as never)).toThrow(
      'Invalid accessToken options: grups: is not an option (',
    );
    expect(() => createTestIssuer({ userPoolID: 'local_x' } as never)).toThrow(
      new TypeError(
        'Invalid createTestIssuer options: userPoolID: is not an option (userPoolId, clientId, tokenUse, port, signingKey)',
      ),
    );
    expect(() => createTestIssuer({ tokenUse: 'both' } as never)).toThrow(
      'Invalid createTestIssuer options: tokenUse: ',
    );
  });

  it('refuses a misspelt broken-token kind rather than mint nothing', () => {
    expect(() => issuer.brokenToken('expird' as never)).toThrow(
      new TypeError(`Invalid brokenToken kind: "expird"; one of ${BROKEN_TOKEN_KINDS.join(', ')}`),
    );
    for (const kind of BROKEN_TOKEN_KINDS) {
      expect(issuer.brokenToken(kind).split('.')).toHaveLength(3);
    }
  });

  it('mints what any well-formed options say, and refuses any option one letter off', () => {
    const names = TOKEN_OPTIONS.split(', ');
    const misspelt = fc
      .tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom('', 'x', 'S'))
      .map(([name, at, letter]) => {
        const i = at % name.length;
        return `${name.slice(0, i)}${letter}${name.slice(i + 1)}`;
      })
      .filter((name) => !names.includes(name));
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
        fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
        misspelt,
        (groups, scopes, typo) => {
          const { payload } = decodeJwt(issuer.accessToken({ groups, scopes }));
          expect(payload['cognito:groups'] ?? []).toEqual(groups);
          expect(payload['scope']).toBe(scopes.join(' '));
          expect(() => issuer.accessToken({ [typo]: groups } as never)).toThrow(
            `Invalid accessToken options: ${typo}: is not an option (`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('key-server faults, key rotation and ALB tokens', () => {
  it('refuses a fault the key server would not play, and plays each it names', () => {
    const kinds = 'status, hang, delay, html, oversized, invalid-keys, reset';
    expect(() => issuer.setJwksFault({ kind: 'hnag' } as never)).toThrow(
      new TypeError(`Invalid setJwksFault options: kind: must be one of ${kinds}`),
    );
    expect(() => issuer.setJwksFault({ kind: 'status' } as never)).toThrow(
      new TypeError('Invalid setJwksFault options: status: must be number'),
    );
    expect(() => issuer.setJwksFault({ kind: 'delay', millis: 5 } as never)).toThrow(
      'Invalid setJwksFault options: ms: must be number; millis: is not an option (kind, ms)',
    );
    for (const fault of [
      { kind: 'status', status: 500 },
      { kind: 'delay', ms: 10 },
      { kind: 'oversized', bytes: 1 },
      { kind: 'reset' },
      undefined,
    ] as const) {
      expect(() => issuer.setJwksFault(fault)).not.toThrow();
    }
  });

  it('refuses a misspelt rotation or ALB option', () => {
    expect(() => issuer.rotateKey({ retire: true } as never)).toThrow(
      new TypeError('Invalid rotateKey options: retire: is not an option (retireOld)'),
    );
    expect(() => createAlbSigner({ arn: 'x' } as never)).toThrow(
      new TypeError('Invalid createAlbSigner options: arn: is not an option (albArn)'),
    );
    const alb = createAlbSigner();
    expect(() => alb.dataToken({ sub: 'a' }, { issuer: 'i' } as never)).toThrow(
      new TypeError('Invalid dataToken options: clientId: must be string'),
    );
    expect(alb.dataToken({ sub: 'a' }, { issuer: 'i', clientId: 'c' }).split('.')).toHaveLength(3);
  });
});

describe('event options', () => {
  const BUILDERS: [string, (options: never) => unknown][] = [
    ['restProxyEvent', restProxyEvent],
    ['httpApiEvent', httpApiEvent],
    ['functionUrlEvent', functionUrlEvent],
    ['albEvent', albEvent],
    ['latticeEvent', latticeEvent],
    ['tokenAuthorizerEvent', tokenAuthorizerEvent],
    ['requestAuthorizerEvent', requestAuthorizerEvent],
    ['httpAuthorizerEvent', httpAuthorizerEvent],
  ];

  it.each(BUILDERS)(
    '%s refuses a misspelt token and a header that is not a string',
    (name, build) => {
      expect(() => build({ tokn: 'x' } as never)).toThrow(
        `Invalid ${name} options: tokn: is not an option (`,
      );
      expect(() => build({ path: 1 } as never)).toThrow(
        new TypeError(`Invalid ${name} options: path: must be string`),
      );
      expect(() => build({ path: '/movies', token: 'x' } as never)).not.toThrow();
    },
  );

  it('refuses claims for a source no authorizer fills, which would have dropped them', () => {
    const claims = { sub: 'alice', 'cognito:groups': ['movies-group'] };
    for (const [name, build] of [
      ['functionUrlEvent', functionUrlEvent],
      ['albEvent', albEvent],
      ['latticeEvent', latticeEvent],
      ['requestAuthorizerEvent', requestAuthorizerEvent],
      ['httpAuthorizerEvent', httpAuthorizerEvent],
    ] as const) {
      expect(() => build({ claims } as never)).toThrow(
        `Invalid ${name} options: claims: is not an option (`,
      );
      expect(() => build({ authorizerContext: { sub: 'alice' } } as never)).toThrow(
        `Invalid ${name} options: authorizerContext: is not an option (`,
      );
    }
    // The two that have an authorizer put them where it does.
    expect(restProxyEvent({ claims }).requestContext.authorizer).toMatchObject({
      claims: { sub: 'alice' },
    });
    expect(httpApiEvent({ claims }).requestContext.authorizer).toMatchObject({
      jwt: { claims: { sub: 'alice' } },
    });
  });

  it('takes each builder’s own options, and only its own', () => {
    expect(() => restProxyEvent({ resource: '/movies/{id}', stage: 'prod' })).not.toThrow();
    expect(() => albEvent({ multiValueHeaders: true })).not.toThrow();
    expect(() => httpApiEvent({ version: '1.0', cookies: ['a=1'], scopes: null })).not.toThrow();
    expect(() => albEvent({ routeKey: 'GET /movies' } as never)).toThrow(
      'Invalid albEvent options: routeKey: is not an option (',
    );
    expect(() => restProxyEvent({ headers: { 'x-a': ['1', '2'] } } as never)).toThrow(
      'Invalid restProxyEvent options: headers.x-a: must be string',
    );
  });
});
