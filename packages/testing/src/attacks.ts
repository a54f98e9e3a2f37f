// A battery of hostile requests every guard must refuse with a 400 or 401, whatever the
// framework: forged algorithms, injected headers, malformed tokens, lying claims, header tricks.

import { generateKeyPairSync } from 'node:crypto';
import { base64url, encodeJwt, type JwtPayload, signJwt } from './jwt';
import type { TestIssuer } from './test-issuer';

/** One hostile request: its headers, and the statuses that count as refusing it. */
export interface AttackCase {
  readonly name: string;
  /** Header lines to send; a name given twice is sent twice. */
  readonly headers: readonly (readonly [string, string])[];
  /**
   * Acceptable statuses: 401, or 400 for malformed requests; 431 where Node's HTTP server refuses
   * the headers (over 16 KiB) before any middleware runs.
   */
  readonly expect: readonly number[];
}

const INVALID = [401] as const;
const MALFORMED = [400, 401] as const;

/**
 * Builds the attack battery for an issuer. Each case is signed where signing matters, so it
 * fails for the reason it names and not for an incidental one.
 *
 * @example
 * ```ts
 * for (const attack of attackBattery(issuer)) {
 *   const res = await send(app, attack.headers);
 *   expect(attack.expect).toContain(res.status);
 * }
 * ```
 */
export function attackBattery(issuer: TestIssuer): AttackCase[] {
  const claims = claimsOf(
    issuer.accessToken({ username: 'mallory', groups: ['movies-group', 'admins'] }),
  );
  const header = { kid: issuer.currentKid, alg: 'RS256' };
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const attackerJwk = rsa.publicKey.export({ format: 'jwk' });
  const b = (token: string) => [['Authorization', `Bearer ${token}`]] as const;
  const valid = issuer.accessToken({ username: 'mallory', groups: ['movies-group'] });
  const [h, p, s] = valid.split('.') as [string, string, string];
  const sign = (payload: JwtPayload, extraHeader: Record<string, unknown> = {}) =>
    issuer.sign(payload, { header: extraHeader });

  const cases: [string, readonly (readonly [string, string])[], readonly number[]][] = [
    // Algorithm attacks
    ['alg none, empty signature', b(encodeJwt({ ...header, alg: 'none' }, claims, '')), INVALID],
    [
      'alg none, no signature segment',
      b(encodeJwt({ ...header, alg: 'none' }, claims, '').slice(0, -1)),
      MALFORMED,
    ],
    ['alg none, with a signature', b(encodeJwt({ ...header, alg: 'none' }, claims, s)), INVALID],
    ['alg None (case variant)', b(encodeJwt({ ...header, alg: 'None' }, claims, s)), INVALID],
    [
      'HS256 with the public key PEM as secret',
      b(signJwt({ ...header, alg: 'HS256' }, claims, Buffer.from(issuer.publicKeyPem))),
      INVALID,
    ],
    [
      'HS256 with the JWKS JSON as secret',
      b(
        signJwt(
          { ...header, alg: 'HS256' },
          claims,
          Buffer.from(JSON.stringify(issuer.jwks.keys[0])),
        ),
      ),
      INVALID,
    ],
    [
      'ES256 header, signed with an attacker EC key',
      b(signJwt({ ...header, alg: 'ES256' }, claims, ec.privateKey)),
      INVALID,
    ],
    [
      'RS256 kid, ES256 header, no signature match',
      b(encodeJwt({ ...header, alg: 'ES256' }, claims, s)),
      INVALID,
    ],
    ['PS256 signed with the real key', b(sign(claims, { alg: 'PS256' })), INVALID],
    [
      'RS512 signed with the real key',
      b(signJwt({ ...header, alg: 'RS512' }, claims, privateKeyOf(issuer))),
      INVALID,
    ],
    // Header injection
    [
      'embedded jwk of an attacker key',
      b(signJwt({ ...header, jwk: attackerJwk }, claims, rsa.privateKey)),
      INVALID,
    ],
    [
      'jku pointing elsewhere',
      b(signJwt({ ...header, jku: 'http://127.0.0.1:1/jwks.json' }, claims, rsa.privateKey)),
      INVALID,
    ],
    [
      'x5u pointing elsewhere',
      b(signJwt({ ...header, x5u: 'http://127.0.0.1:1/cert.pem' }, claims, rsa.privateKey)),
      INVALID,
    ],
    [
      'x5c with an attacker chain',
      b(signJwt({ ...header, x5c: ['MIIB'] }, claims, rsa.privateKey)),
      INVALID,
    ],
    [
      'kid path traversal',
      b(signJwt({ ...header, kid: '../../../../etc/passwd' }, claims, rsa.privateKey)),
      INVALID,
    ],
    [
      'kid SQL injection',
      b(signJwt({ ...header, kid: "x' OR '1'='1" }, claims, rsa.privateKey)),
      INVALID,
    ],
    ['kid huge', b(signJwt({ ...header, kid: 'k'.repeat(4000) }, claims, rsa.privateKey)), INVALID],
    ['kid a number', b(signJwt({ ...header, kid: 12345 }, claims, rsa.privateKey)), INVALID],
    [
      'kid an object',
      b(signJwt({ ...header, kid: { $ne: null } }, claims, rsa.privateKey)),
      INVALID,
    ],
    ['crit header (signed by the real key)', b(sign(claims, { crit: ['exp'] })), INVALID],
    // Malformed tokens
    ['2 segments', b(`${h}.${p}`), MALFORMED],
    ['4 segments', b(`${h}.${p}.${s}.${s}`), MALFORMED],
    ['5 segments (JWE shape)', b(`${h}.${p}.${s}.${s}.${s}`), MALFORMED],
    ['bad base64url characters', b(`${h}.${p.slice(0, 10)}+/${p.slice(12)}.${s}`), MALFORMED],
    ['base64 padding', b(`${h}.${p}==.${s}`), MALFORMED],
    ['whitespace inside the token', b(`${h}.${p.slice(0, 10)} ${p.slice(10)}.${s}`), MALFORMED],
    ['tab inside the token', [['Authorization', `Bearer ${h}.${p}\t.${s}`]], MALFORMED],
    ['payload not JSON', b(`${h}.${base64url('not json')}.${s}`), INVALID],
    [
      'payload a JSON array',
      b(signJwt(header, [claims] as unknown as JwtPayload, privateKeyOf(issuer))),
      INVALID,
    ],
    ['payload a JSON string', b(`${h}.${base64url('"x"')}.${s}`), INVALID],
    [
      'duplicate keys (signed by the real key)',
      b(
        signRaw(
          issuer,
          JSON.stringify(header),
          `${JSON.stringify(claims).slice(0, -1)},"cognito:groups":["admins"]}`,
        ),
      ),
      INVALID,
    ],
    [
      'duplicate keys spelled with escapes',
      b(
        signRaw(
          issuer,
          JSON.stringify(header),
          `${JSON.stringify(claims).slice(0, -1)},"\\u0073ub":"root"}`,
        ),
      ),
      INVALID,
    ],
    ['a 1 MB token', b(`${h}.${'A'.repeat(1024 * 1024)}.${s}`), [401, 431]],
    // Claims
    ['exp missing', b(sign({ ...claims, exp: undefined }, {})), INVALID],
    ['exp a string', b(sign({ ...claims, exp: String(claims['exp']) })), INVALID],
    [
      'exp infinite (1e999)',
      b(
        signRaw(
          issuer,
          JSON.stringify(header),
          JSON.stringify({ ...claims, exp: 0 }).replace('"exp":0', '"exp":1e999'),
        ),
      ),
      INVALID,
    ],
    ['nbf in the future', b(sign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 3600 }))],
    [
      'issuer of another pool',
      b(sign({ ...claims, iss: `${issuer.issuer.replace(issuer.userPoolId, 'local_otherPool')}` })),
    ],
    ['issuer with a trailing slash', b(sign({ ...claims, iss: `${issuer.issuer}/` }))],
    ['issuer with a path suffix', b(sign({ ...claims, iss: `${issuer.issuer}/x` }))],
    [
      'issuer of another region',
      b(sign({ ...claims, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc' })),
    ],
    ['token_use id on an access guard', b(sign({ ...claims, token_use: 'id' }))],
    ['token_use refresh', b(sign({ ...claims, token_use: 'refresh' }))],
    ['client mismatch', b(sign({ ...claims, client_id: 'another-client' }))],
    ['aud as an array', b(issuer.idToken({ claims: { aud: [issuer.clientId, 'other'] } }))],
    [
      'cognito:groups an object',
      b(sign({ ...claims, 'cognito:groups': { 0: 'admins', length: 1 } })),
    ],
    ['cognito:groups nested', b(sign({ ...claims, 'cognito:groups': [['admins']] }))],
    ['cognito:groups numbers', b(sign({ ...claims, 'cognito:groups': [1, 2] }))],
    ['cognito:groups null', b(sign({ ...claims, 'cognito:groups': null }))],
    [
      'cognito:groups with 10,000 entries',
      b(sign({ ...claims, 'cognito:groups': Array.from({ length: 10_000 }, (_, i) => `g${i}`) })),
      [401, 431],
    ],
    // Header tricks
    [
      'two Authorization headers',
      [
        ['Authorization', `Bearer ${valid}`],
        ['Authorization', `Bearer ${valid}`],
      ],
      [400],
    ],
    ['two tokens in one header', [['Authorization', `Bearer ${valid}, Bearer ${valid}`]], [400]],
    ['Cyrillic look-alike of Bearer', [['Authorization', `Веarer ${valid}`]], INVALID],
    ['full-width look-alike of Bearer', [['Authorization', `Ｂearer ${valid}`]], INVALID],
    ['zero-width space in the scheme', [['Authorization', `Bear\u200ber ${valid}`]], INVALID],
    ['Bearer with no token', [['Authorization', 'Bearer ']], [400]],
  ].map(([name, headers, expected]) => [
    name as string,
    headers as readonly (readonly [string, string])[],
    (expected ?? INVALID) as readonly number[],
  ]);
  return cases.map(([name, headers, expected]) => ({ name, headers, expect: expected }));
}

/**
 * An attack that needs a second token source configured: the same token in `Authorization`
 * and in the ALB header. A guard with both sources must answer 400.
 *
 * @example
 * ```ts
 * const attack = twoSourcesAttack(issuer); // for a guard with tokenSources: ['header', 'alb']
 * const res = await sendRaw(server, 'GET', '/movies', attack.headers);
 * expect(attack.expect).toContain(res.status);
 * ```
 */
export function twoSourcesAttack(issuer: TestIssuer): AttackCase {
  const token = issuer.accessToken({ groups: ['movies-group'] });
  return {
    name: 'token in Authorization and in x-amzn-oidc-accesstoken',
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['x-amzn-oidc-accesstoken', token],
    ],
    expect: [400],
  };
}

function claimsOf(token: string): JwtPayload {
  return JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
  ) as JwtPayload;
}

function privateKeyOf(issuer: TestIssuer) {
  return issuer.currentPrivateKey;
}

// Signs exact header and payload texts, for JSON no serializer would produce.
function signRaw(issuer: TestIssuer, headerJson: string, payloadJson: string): string {
  return issuer.signText(headerJson, payloadJson);
}
