// Trust mode (`claimsSource: 'api-gateway'`): the principal comes from what an authorizer put on
// the event, so every way that reading could be wider than the authorizer's own is a hole. The
// reading must find claims only where API Gateway puts them, refuse claims it cannot date, and
// give back exactly the principal the authorizer wrote into its context.

import { createPrincipal, type ListClaimEncoding } from '@cognito-guard/core/advanced';
import {
  createTestIssuer,
  decodeJwt,
  functionUrlEvent,
  httpApiEvent,
  httpAuthorizerClaims,
  lambdaContext,
  restAuthorizerClaims,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import {
  cognitoGuard,
  type HttpEventLike,
  type Principal,
  readAuthorizerContext,
  writeAuthorizerContext,
} from '../src';

type PrincipalSource = Parameters<typeof createPrincipal>[0];

interface Answer {
  readonly statusCode: number;
  readonly body?: string;
}

// The handler answers with the principal it was given, so a test sees exactly what trust read.
const echo = async (_event: unknown, context: { auth: Principal | undefined }) => ({
  statusCode: 200,
  body: JSON.stringify(context.auth),
});

let issuer: TestIssuer;
let trusted: (event: unknown) => Promise<Answer>;
// Why each refusal was made, as the operator's hook hears it.
const reasons: (string | undefined)[] = [];
beforeAll(async () => {
  issuer = await createTestIssuer().start();
  const guard = cognitoGuard({
    ...issuer.config,
    tokenUse: 'any',
    claimsSource: 'api-gateway',
    logger: { warn: () => undefined },
    onDecision: (decision) => {
      if (!decision.allowed) reasons.push(decision.error.reason);
    },
  });
  const handler = guard.authenticate()(echo);
  trusted = async (event) =>
    (await handler(event as HttpEventLike, lambdaContext())) as unknown as Answer;
});
afterAll(() => issuer.stop());
// Each test reads only its own refusals, whichever tests ran before it.
beforeEach(() => {
  reasons.length = 0;
});

const inAMinute = () => Math.floor(Date.now() / 1000) + 60;
const claimsOf = (extra: Record<string, unknown> = {}) => ({
  ...decodeJwt(issuer.accessToken({ username: 'carol', groups: ['movies-group'] })).payload,
  ...extra,
});
// The context the authorizer writes for a verified access token of this pool.
const contextOf = () =>
  writeAuthorizerContext(
    createPrincipal({ claims: claimsOf(), userPoolId: issuer.userPoolId, issuer: issuer.issuer }),
  );
const principalIn = (answer: Answer): Principal => {
  expect(answer.statusCode).toBe(200);
  return JSON.parse(answer.body ?? 'null') as Principal;
};
// A REST event's Lambda authorizer fields, as the testing kit stringifies them, but without the
// principalId every REST Lambda authorizer sets.
const withoutPrincipalId = (event: ReturnType<typeof restProxyEvent>) => {
  const { principalId: _unset, ...rest } = event.requestContext.authorizer as Record<
    string,
    unknown
  >;
  return rest;
};
const httpEventWith = (authorizer: Record<string, unknown>) => {
  const event = httpApiEvent({ path: '/movies' });
  return { ...event, requestContext: { ...event.requestContext, authorizer } };
};
const restEventWith = (authorizer: unknown) => {
  const event = restProxyEvent({ path: '/movies' });
  return { ...event, requestContext: { ...event.requestContext, authorizer } };
};

describe('trust mode dates the claims it reads', () => {
  it('reads exp as a number, a string of digits or a Java date, and refuses what is none', async () => {
    const exp = inAMinute();
    const javaDate = new Date(exp * 1000).toUTCString().replace('GMT', 'UTC');
    for (const given of [exp, String(exp), javaDate]) {
      const event = restEventWith({ claims: { ...restAuthorizerClaims(claimsOf()), exp: given } });
      expect(principalIn(await trusted(event)).expiresAt).toBe(exp);
    }
    // No expiry, an empty one, digits with a tail, a number that is not finite: none can be
    // dated, and an undated claim set would never expire.
    // A list holding the digits is no expiry either, whatever its text reads as.
    const undated = [undefined, '', `${exp}x`, 'soon', Number.POSITIVE_INFINITY, Number.NaN, [exp]];
    for (const given of undated) {
      const claims: Record<string, unknown> = { ...httpAuthorizerClaims(claimsOf()), exp: given };
      if (given === undefined) delete claims['exp'];
      const answer = await trusted(httpEventWith({ jwt: { claims, scopes: null } }));
      expect(answer).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    }
    expect(reasons.splice(0)).toEqual(undated.map(() => 'exp_missing'));
  });

  it('refuses an expired claim set as API Gateway words it', async () => {
    const event = restEventWith({
      claims: { ...restAuthorizerClaims(claimsOf()), exp: '1000000' },
    });
    expect(await trusted(event)).toMatchObject({
      statusCode: 401,
      body: '{"message":"The incoming token has expired"}',
    });
  });

  it('refuses claims without an issuer, since no configured pool issued them', async () => {
    const claims = restAuthorizerClaims(claimsOf());
    delete claims['iss'];
    expect(await trusted(restEventWith({ claims }))).toMatchObject({ statusCode: 401 });
    const numericIssuer = { ...claims, iss: 42 };
    expect(await trusted(httpEventWith({ jwt: { claims: numericIssuer } }))).toMatchObject({
      statusCode: 401,
    });
  });

  it('names the configured pool the claims came from', async () => {
    const principal = principalIn(await trusted(restProxyEvent({ claims: claimsOf() })));
    expect(principal.userPoolId).toBe(issuer.userPoolId);
    expect(principal.issuer).toBe(issuer.issuer);
  });
});

describe('trust mode finds claims only where API Gateway puts them', () => {
  it('reads a payload 2.0 JWT authorizer’s scopes from jwt.scopes, not from a scope claim', async () => {
    const claims = httpAuthorizerClaims(claimsOf({ scope: 'movies/admin' }));
    const principal = principalIn(
      await trusted(httpEventWith({ jwt: { claims, scopes: ['movies/read'] } })),
    );
    expect(principal.scopes).toEqual(['movies/read']);
  });

  it('reads a payload 1.0 JWT authorizer’s bracketed groups and its scopes', async () => {
    const event = httpApiEvent({
      version: '1.0',
      path: '/movies',
      claims: claimsOf({ 'cognito:groups': ['movies-group', 'shows-group'] }),
      scopes: ['movies/read'],
    });
    const principal = principalIn(await trusted(event));
    expect(principal.groups).toEqual(['movies-group', 'shows-group']);
    expect(principal.groupsAmbiguous).toBe(false);
    expect(principal.scopes).toEqual(['movies/read']);
  });

  it('reads a context without a format marker (cognito-guard 0.1) with comma-joined groups', async () => {
    const { format: _format, ...legacy } = contextOf();
    const event = restProxyEvent({
      authorizerContext: { ...legacy, groups: 'movies-group,shows-group' },
    });
    const principal = principalIn(await trusted(event));
    expect(principal.groups).toEqual(['movies-group', 'shows-group']);
    expect(principal.groupsAmbiguous).toBe(true);
  });

  it('reads comma-joined REST groups as ambiguous, bracketed HTTP API groups as not', async () => {
    const claims = claimsOf({ 'cognito:groups': ['movies-group', 'shows-group'] });
    const rest = principalIn(await trusted(restProxyEvent({ claims })));
    expect(rest.groupsAmbiguous).toBe(true);
    const http = principalIn(await trusted(httpApiEvent({ claims })));
    expect(http.groups).toEqual(['movies-group', 'shows-group']);
    expect(http.groupsAmbiguous).toBe(false);
  });

  it('refuses authorizer fields of the wrong shape, and claims where no authorizer puts them', async () => {
    const claims = httpAuthorizerClaims(claimsOf());
    const refused: unknown[] = [
      restEventWith([claims]),
      restEventWith('claims'),
      restEventWith(null),
      restEventWith({ claims: [claims] }),
      httpEventWith({ jwt: [claims] }),
      httpEventWith({ jwt: { claims: [claims] } }),
      httpEventWith({ lambda: [claims] }),
      // A REST Lambda authorizer always sets principalId; a context without it is not one.
      restEventWith(withoutPrincipalId(restProxyEvent({ authorizerContext: contextOf() }))),
      // principalId, but a context in no format this library writes.
      restEventWith({ principalId: 'u-1', ...contextOf(), format: 'cognito-guard/3' }),
      // A function URL has no authorizer that verifies Cognito tokens; claims there are forged.
      {
        ...functionUrlEvent({ path: '/movies' }),
        requestContext: {
          ...functionUrlEvent().requestContext,
          authorizer: { claims, jwt: { claims } },
        },
      },
    ];
    for (const event of refused) {
      expect(await trusted(event)).toMatchObject({ statusCode: 401 });
    }
    const { requestContext: _dropped, ...withoutContext } = restProxyEvent({ path: '/movies' });
    expect(await trusted(withoutContext)).toMatchObject({ statusCode: 401 });
    // Each refusal reaches the operator's hook, as every other denial does.
    expect(reasons.splice(0)).toEqual([...refused, withoutContext].map(() => 'token_missing'));
  });
});

describe('an authorizer context round-trips through trust mode', () => {
  // Group names as Cognito allows them (commas, brackets, quotes, spaces inside), scopes as
  // OAuth allows them (no spaces).
  const groupName = fc
    .string({ minLength: 1, maxLength: 12, unit: 'grapheme-ascii' })
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const scope = fc.stringMatching(/^[!#-[\]-~]{1,12}$/);
  const principalArb = fc.record({
    tokenUse: fc.constantFrom('access', 'id'),
    machine: fc.boolean(),
    sub: fc.uuid(),
    username: fc.string({ minLength: 1, maxLength: 10 }),
    groups: fc.uniqueArray(groupName, { maxLength: 4 }),
    scopes: fc.uniqueArray(scope, { maxLength: 3 }),
    jti: fc.option(fc.uuid(), { nil: undefined }),
    originJti: fc.option(fc.uuid(), { nil: undefined }),
    authTime: fc.option(fc.integer({ min: 1, max: 2_000_000_000 }), { nil: undefined }),
  });

  it('gives back the principal the authorizer wrote, on REST and on both HTTP API payloads (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(principalArb, async (drawn) => {
        const machine = drawn.machine && drawn.tokenUse === 'access';
        const claims: Record<string, unknown> = {
          sub: machine ? issuer.clientId : drawn.sub,
          iss: issuer.issuer,
          token_use: drawn.tokenUse,
          exp: inAMinute(),
          'cognito:groups': drawn.groups,
          scope: drawn.scopes.join(' '),
          jti: drawn.jti,
          origin_jti: drawn.originJti,
          auth_time: drawn.authTime,
          [drawn.tokenUse === 'id' ? 'aud' : 'client_id']: issuer.clientId,
        };
        if (!machine) {
          claims[drawn.tokenUse === 'id' ? 'cognito:username' : 'username'] = drawn.username;
        }
        const source: PrincipalSource = {
          claims,
          userPoolId: issuer.userPoolId,
          issuer: issuer.issuer,
        };
        const written = createPrincipal(source);
        const context = writeAuthorizerContext(written);
        const events = [
          restProxyEvent({ path: '/movies', authorizerContext: context }),
          httpApiEvent({ path: '/movies', authorizerContext: context }),
          httpApiEvent({ version: '1.0', path: '/movies', authorizerContext: context }),
        ];
        for (const event of events) {
          const read = principalIn(await trusted(event));
          for (const field of [
            'sub',
            'username',
            'groups',
            'groupsAmbiguous',
            'scopes',
            'tokenUse',
            'kind',
            'clientId',
            'issuer',
            'userPoolId',
            'expiresAt',
          ] as const) {
            expect(read[field]).toEqual(written[field]);
          }
          // REST passes every context value on as a string; the revocation check reads either.
          for (const claim of ['jti', 'origin_jti', 'auth_time']) {
            const given = written.claims[claim];
            expect(read.claims[claim]).toEqual(given === undefined ? undefined : expect.anything());
            if (given !== undefined) expect(String(read.claims[claim])).toBe(String(given));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the authorizer context format', () => {
  const principal = (source: Partial<PrincipalSource> & { claims: Record<string, unknown> }) =>
    createPrincipal({ userPoolId: 'eu-west-1_abc', issuer: 'https://issuer', ...source });
  const base = {
    sub: 'u-1',
    iss: 'https://issuer',
    token_use: 'access',
    exp: 2_000_000_000,
    client_id: 'app',
  };

  it('writes only the fields a principal has, scopes space-separated, and no claim unless listed', () => {
    const machine = writeAuthorizerContext(
      principal({ claims: { ...base, scope: 'api/read api/write', 'custom:tenant': 'acme' } }),
    );
    expect(machine).toEqual({
      format: 'cognito-guard/2',
      sub: 'u-1',
      groups: '[]',
      scopes: 'api/read api/write',
      tokenUse: 'access',
      iss: 'https://issuer',
      exp: 2_000_000_000,
      clientId: 'app',
    });
    const noClient = writeAuthorizerContext(
      principal({ claims: { sub: 'u-2', token_use: 'access', username: 'dan' } }),
    );
    expect(noClient).not.toHaveProperty('clientId');
    expect(noClient).toMatchObject({ username: 'dan' });
  });

  it('carries revocation claims only as strings or numbers', () => {
    const context = writeAuthorizerContext(
      principal({ claims: { ...base, jti: 'j-1', origin_jti: { id: 'o' }, auth_time: 1_700 } }),
    );
    expect(context).toMatchObject({ jti: 'j-1', auth_time: 1_700 });
    expect(context).not.toHaveProperty('origin_jti');
  });

  const written = writeAuthorizerContext(
    principal({ claims: { ...base, 'cognito:groups': ['a,b', 'c'] } }),
  );
  const readWith = (changes: Record<string, unknown>) =>
    readAuthorizerContext({ ...written, ...changes });

  it('reads groups as JSON, and refuses a context whose groups are not a JSON list of strings', () => {
    expect(readAuthorizerContext(written)).toMatchObject({
      groupsEncoding: 'json' satisfies ListClaimEncoding,
      claims: { 'cognito:groups': ['a,b', 'c'] },
    });
    for (const groups of ['a,b', '{"a":1}', '["a",1]', '"a"', ['["a"]'], 7, undefined]) {
      expect(readWith({ groups })).toBeUndefined();
    }
  });

  it('refuses a context of another format or without a string sub', () => {
    expect(readWith({ format: 'cognito-guard/3' })).toBeUndefined();
    expect(readWith({ format: 1 })).toBeUndefined();
    expect(readWith({ sub: 7 })).toBeUndefined();
    expect(readWith({ sub: undefined })).toBeUndefined();
  });

  it('reads a context without a format marker (cognito-guard 0.1) as comma-joined groups', () => {
    const { format: _format, ...legacy } = written;
    const read = readAuthorizerContext({ ...legacy, groups: 'a,b' });
    expect(read).toMatchObject({ groupsEncoding: 'comma', claims: { 'cognito:groups': 'a,b' } });
  });

  it('reads an id token’s username and client back under its own claim names', () => {
    const id = writeAuthorizerContext(
      principal({
        claims: { sub: 'u-3', token_use: 'id', 'cognito:username': 'erin', aud: 'app' },
      }),
    );
    const read = readAuthorizerContext(id);
    expect(read?.claims).toMatchObject({ 'cognito:username': 'erin', aud: 'app' });
    expect(read?.claims).not.toHaveProperty('username', 'erin');
    expect(read?.claims['client_id']).toBeUndefined();
    const access = readAuthorizerContext(writeAuthorizerContext(principal({ claims: base })));
    expect(access?.claims).toMatchObject({ client_id: 'app', scope: '' });
    expect(access?.claims['aud']).toBeUndefined();
  });

  it('reads claim: entries with scalar values only, and never one without a name', () => {
    const read = readWith({
      'claim:custom:tenant': 'acme',
      'claim:custom:list': ['a'],
      'claim:': 'nameless',
      'claim:jti': 'forged',
      'not-a-claim': 'x',
    });
    expect(read?.claims['custom:tenant']).toBe('acme');
    expect(read?.claims).not.toHaveProperty('custom:list');
    expect(read?.claims).not.toHaveProperty('');
    expect(read?.claims['jti']).toBeUndefined();
    expect(read?.claims).not.toHaveProperty('not-a-claim');
  });
});
