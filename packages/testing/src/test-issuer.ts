// A Cognito-shaped token issuer for tests and demos: an RSA key pair, a JWKS served over loopback
// HTTP, and tokens carrying exactly the claims Cognito puts in them. Its key server can be made to
// misbehave on purpose (down, slow, garbage, rotation) for fault tests.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { encodeJwt, type JwtHeader, type JwtPayload, signJwt } from './jwt';
import {
  checkJwksFault,
  checkKitOptions,
  clientCredentialsOptionsSchema,
  idTokenOptionsSchema,
  issuerOptionsSchema,
  rotateKeyOptionsSchema,
  tokenOptionsSchema,
} from './kit-options';
import { applyPreTokenGeneration, type PreTokenGenerationResponse } from './pre-token-generation';

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** Pool id in the issuer URL. Default `local_cognitoGuard` (cognito-local style). */
  readonly userPoolId?: string;
  /** App client id of minted tokens. Default `test-client`. */
  readonly clientId?: string;
  /** `tokenUse` of the ready-made config. Default `'access'`. */
  readonly tokenUse?: 'access' | 'id' | 'any';
  /** Port to listen on; default 0 (ephemeral). */
  readonly port?: number;
  /**
   * Sign with this key instead of a fresh one: how a second process (the CLI's `mint`) signs
   * tokens that a running issuer's JWKS verifies. See {@link TestIssuer.signingKey}.
   */
  readonly signingKey?: ExportedSigningKey;
}

/** A signing key as {@link TestIssuer.signingKey} exports it: key id and PKCS#8 PEM. */
export interface ExportedSigningKey {
  readonly kid: string;
  readonly privateKeyPem: string;
}

/** Claims and knobs of a minted token. */
export interface TokenOptions {
  readonly sub?: string;
  readonly username?: string;
  /** `cognito:groups`; omitted from the token when empty, as Cognito does. */
  readonly groups?: readonly string[];
  /** OAuth scopes, joined with spaces into `scope`. */
  readonly scopes?: readonly string[];
  /** Seconds until `exp`; negative for an expired token. Default 3600. */
  readonly expiresIn?: number;
  /** Seconds from now for `nbf`; set it to mint a not-yet-valid token. */
  readonly notBefore?: number;
  readonly clientId?: string;
  readonly issuer?: string;
  /** Sign with this key id instead of the current one (it must be one of this issuer's keys). */
  readonly kid?: string;
  /** Extra or replacing claims; a value of `undefined` removes the claim. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Extra or replacing header fields. */
  readonly header?: Readonly<Record<string, unknown>>;
  /**
   * A pre token generation trigger's response (event version 2 or 3), applied before signing as
   * Cognito applies it: groups overridden, claims added (arrays and JSON objects too) or
   * suppressed, scopes added or suppressed.
   */
  readonly preTokenGeneration?: PreTokenGenerationResponse;
}

/** Extra claims of ID tokens. */
export interface IdTokenOptions extends TokenOptions {
  readonly email?: string;
  readonly emailVerified?: boolean;
  /** Custom attributes, e.g. `{ tier: 'gold' }` becomes `custom:tier`. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Every kind of deliberately broken token {@link TestIssuer.brokenToken} mints. */
export const BROKEN_TOKEN_KINDS = [
  'expired',
  'not-yet-valid',
  'wrong-token-use',
  'wrong-client',
  'other-pool',
  'no-exp',
  'unknown-kid',
  'foreign-key',
  'alg-none',
  'hs256-public-key',
  'tampered',
] as const;

/** Deliberately broken tokens for negative tests. */
export type BrokenTokenKind = (typeof BROKEN_TOKEN_KINDS)[number];

/** How the key server misbehaves; `undefined` restores normal service. */
export type JwksFault =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'html' }
  | { readonly kind: 'oversized'; readonly bytes: number }
  | { readonly kind: 'invalid-keys' }
  | { readonly kind: 'reset' };

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
}

/** Config a guard needs to trust this issuer; structurally a `GuardConfig` of the core. */
export interface TestIssuerConfig {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly tokenUse: 'access' | 'id' | 'any';
  readonly issuer: string;
  readonly jwksUri: string;
}

/**
 * A running (or stopped) loopback issuer: a JWKS endpoint over HTTP and the keys to sign
 * Cognito-shaped tokens with. See {@link createTestIssuer}.
 *
 * @example
 * ```ts
 * const issuer: TestIssuer = await createTestIssuer({ userPoolId: 'local_pool' }).start();
 * const guard = cognitoGuard(issuer.config);
 * const token = issuer.accessToken({ groups: ['movies-group'] });
 * await issuer.stop();
 * ```
 */
export class TestIssuer {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly tokenUse: 'access' | 'id' | 'any';
  /** Number of JWKS requests served (or refused) so far. */
  jwksRequests = 0;

  private readonly keys: SigningKey[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port: number;
  private fault: JwksFault | undefined;
  private foreignKey: SigningKey | undefined;

  constructor(options: TestIssuerOptions = {}) {
    checkKitOptions('createTestIssuer', options, issuerOptionsSchema());
    this.userPoolId = options.userPoolId ?? 'local_cognitoGuard';
    this.clientId = options.clientId ?? 'test-client';
    this.tokenUse = options.tokenUse ?? 'access';
    this.port = options.port ?? 0;
    this.keys.push(options.signingKey ? importKey(options.signingKey) : newKey());
  }

  /** Starts serving the JWKS on 127.0.0.1. Restarting reuses the same port. */
  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer((req, res) => this.serve(req.url ?? '/', res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops the key server, dropping open connections; keys and port are kept for a restart. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `http://127.0.0.1:<port>/<userPoolId>`, the `iss` of minted tokens. */
  get issuer(): string {
    if (this.port === 0) throw new Error('TestIssuer: call start() before reading issuer');
    return `http://127.0.0.1:${this.port}/${this.userPoolId}`;
  }

  /** Where the JWKS is served. */
  get jwksUri(): string {
    return `${this.issuer}/.well-known/jwks.json`;
  }

  /** A ready configuration for the core and the adapters. */
  get config(): TestIssuerConfig {
    return {
      userPoolId: this.userPoolId,
      clientId: this.clientId,
      tokenUse: this.tokenUse,
      issuer: this.issuer,
      jwksUri: this.jwksUri,
    };
  }

  /** The same configuration as environment variables (for `configFromEnv`). */
  get env(): Record<string, string> {
    return {
      COGNITO_USER_POOL_ID: this.userPoolId,
      COGNITO_CLIENT_ID: this.clientId,
      COGNITO_TOKEN_USE: this.tokenUse,
      COGNITO_ISSUER: this.issuer,
      COGNITO_JWKS_URI: this.jwksUri,
    };
  }

  /** Key id tokens are signed with now. */
  get currentKid(): string {
    return (this.keys[this.keys.length - 1] as SigningKey).kid;
  }

  /** The JWKS document being served (public keys only). */
  get jwks(): { keys: Record<string, unknown>[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  /** The public key of the current signing key, as a PEM (for HS256 confusion attacks). */
  get publicKeyPem(): string {
    const key = this.keys[this.keys.length - 1] as SigningKey;
    return createPublicKey(key.privateKey).export({ format: 'pem', type: 'spki' }).toString();
  }

  /** The current signing key, exported for another process to mint with (keep it secret). */
  get signingKey(): ExportedSigningKey {
    const key = this.keys[this.keys.length - 1] as SigningKey;
    const privateKeyPem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    return { kid: key.kid, privateKeyPem };
  }

  /** The current signing key (private), for tests that sign by hand. */
  get currentPrivateKey(): KeyObject {
    return (this.keys[this.keys.length - 1] as SigningKey).privateKey;
  }

  /**
   * Signs exact header and payload JSON texts with the current key (RS256), for JSON no
   * serializer would write (duplicate keys, `1e999`).
   *
   * @example
   * ```ts
   * issuer.signText('{"alg":"RS256","kid":"k"}', '{"sub":"a","sub":"b"}');
   * ```
   */
  signText(headerJson: string, payloadJson: string): string {
    const input = `${Buffer.from(headerJson).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.currentPrivateKey).toString('base64url')}`;
  }

  /** Makes the key server misbehave, or (`undefined`) behave again. */
  setJwksFault(fault: JwksFault | undefined): void {
    checkJwksFault(fault);
    this.fault = fault;
  }

  /**
   * Adds a new signing key and publishes it; the old one stays published unless `retireOld`.
   * Returns the new key id.
   */
  rotateKey(options: { readonly retireOld?: boolean } = {}): string {
    checkKitOptions('rotateKey', options, rotateKeyOptionsSchema());
    const previous = this.currentKid;
    this.keys.push(newKey());
    if (options.retireOld) this.retireKey(previous);
    return this.currentKid;
  }

  /** Stops publishing a key (tokens it signed can no longer be verified once caches age out). */
  retireKey(kid: string): void {
    const index = this.keys.findIndex((key) => key.kid === kid);
    if (index !== -1 && this.keys.length > 1) this.keys.splice(index, 1);
  }

  /**
   * Mints a Cognito access token.
   *
   * @example
   * ```ts
   * const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
   * ```
   */
  accessToken(options: TokenOptions = {}): string {
    checkKitOptions('accessToken', options, tokenOptionsSchema());
    const now = Math.floor(Date.now() / 1000);
    const username = options.username ?? 'test-user';
    const payload: JwtPayload = {
      sub: options.sub ?? subFor(username),
      ...(options.groups?.length ? { 'cognito:groups': [...options.groups] } : {}),
      iss: options.issuer ?? this.issuer,
      client_id: options.clientId ?? this.clientId,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: (options.scopes ?? ['aws.cognito.signin.user.admin']).join(' '),
      auth_time: now,
      exp: now + (options.expiresIn ?? 3600),
      iat: now,
      jti: randomUUID(),
      username,
    };
    return this.sign(customised(payload, 'access', options), options);
  }

  /**
   * Mints a Cognito machine-to-machine access token (client credentials grant): `sub` is the app
   * client's id, and it has no `username`, no groups and no `origin_jti`; `scope` holds the
   * client's custom scopes.
   *
   * @example
   * ```ts
   * const token = issuer.clientCredentialsToken({ clientId: 'reporting-job', scopes: ['reports/read'] });
   * ```
   */
  clientCredentialsToken(
    options: Pick<
      TokenOptions,
      | 'clientId'
      | 'scopes'
      | 'expiresIn'
      | 'notBefore'
      | 'kid'
      | 'claims'
      | 'header'
      | 'preTokenGeneration'
    > = {},
  ): string {
    checkKitOptions('clientCredentialsToken', options, clientCredentialsOptionsSchema());
    const now = Math.floor(Date.now() / 1000);
    const clientId = options.clientId ?? this.clientId;
    const payload: JwtPayload = {
      sub: clientId,
      token_use: 'access',
      scope: (options.scopes ?? []).join(' '),
      auth_time: now,
      iss: this.issuer,
      exp: now + (options.expiresIn ?? 3600),
      iat: now,
      version: 2,
      jti: randomUUID(),
      client_id: clientId,
    };
    return this.sign(customised(payload, 'access', options), options);
  }

  /**
   * Mints a Cognito ID token.
   *
   * @example
   * ```ts
   * const token = issuer.idToken({ username: 'carol', email: 'carol@example.com', attributes: { tier: 'gold' } });
   * ```
   */
  idToken(options: IdTokenOptions = {}): string {
    checkKitOptions('idToken', options, idTokenOptionsSchema());
    const now = Math.floor(Date.now() / 1000);
    const username = options.username ?? 'test-user';
    const attributes = Object.fromEntries(
      Object.entries(options.attributes ?? {}).map(([name, value]) => [`custom:${name}`, value]),
    );
    const payload: JwtPayload = {
      sub: options.sub ?? subFor(username),
      ...(options.groups?.length ? { 'cognito:groups': [...options.groups] } : {}),
      email_verified: options.emailVerified ?? true,
      iss: options.issuer ?? this.issuer,
      'cognito:username': username,
      origin_jti: randomUUID(),
      aud: options.clientId ?? this.clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: now,
      exp: now + (options.expiresIn ?? 3600),
      iat: now,
      jti: randomUUID(),
      email: options.email ?? `${username}@example.com`,
      ...attributes,
    };
    return this.sign(customised(payload, 'id', options), options);
  }

  /**
   * Mints a token that must be refused, for negative tests.
   *
   * @example
   * ```ts
   * await request(app).get('/movies').set('Authorization', `Bearer ${issuer.brokenToken('expired')}`).expect(401);
   * ```
   */
  brokenToken(kind: BrokenTokenKind, options: TokenOptions = {}): string {
    // A misspelt kind minted nothing (`Bearer undefined`), which is refused for another reason.
    if (!BROKEN_TOKEN_KINDS.includes(kind)) {
      throw new TypeError(
        `Invalid brokenToken kind: ${JSON.stringify(kind)}; one of ${BROKEN_TOKEN_KINDS.join(', ')}`,
      );
    }
    switch (kind) {
      case 'expired':
        return this.accessToken({ ...options, expiresIn: -120 });
      case 'not-yet-valid':
        return this.accessToken({ ...options, notBefore: 3600 });
      case 'wrong-token-use':
        return this.tokenUse === 'id' ? this.accessToken(options) : this.idToken(options);
      case 'wrong-client':
        return this.accessToken({ ...options, clientId: 'another-client' });
      case 'other-pool':
        return this.accessToken({
          ...options,
          issuer: `http://127.0.0.1:${this.port}/local_otherPool`,
        });
      case 'no-exp':
        return this.accessToken({ ...options, claims: { ...options.claims, exp: undefined } });
      case 'unknown-kid':
        return this.withForeignKey(options, 'unknown-kid');
      case 'foreign-key':
        return this.withForeignKey(options, this.currentKid);
      case 'alg-none': {
        const { payload } = splitToken(this.accessToken(options));
        return encodeJwt({ alg: 'none', typ: 'JWT', kid: this.currentKid }, payload, '');
      }
      case 'hs256-public-key': {
        const payload = claimsOf(this.accessToken(options));
        return signJwt(
          { alg: 'HS256', kid: this.currentKid },
          payload,
          Buffer.from(this.publicKeyPem),
        );
      }
      case 'tampered': {
        const token = this.accessToken(options);
        const { header, signature } = splitToken(token);
        const payload = {
          ...claimsOf(token),
          'cognito:groups': ['admins', 'movies-group', 'shows-group'],
        };
        return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
      }
    }
  }

  /**
   * Signs any payload with this issuer's current key (or `options.kid`), for hand-made tokens.
   *
   * @example
   * ```ts
   * const token = issuer.sign({ ...claims, exp: 'soon' });
   * ```
   */
  sign(
    payload: JwtPayload,
    options: Pick<TokenOptions, 'kid' | 'header' | 'claims' | 'notBefore'> = {},
  ): string {
    const key =
      options.kid === undefined
        ? this.keys[this.keys.length - 1]
        : this.keys.find((k) => k.kid === options.kid);
    if (!key) throw new Error(`TestIssuer: no key with kid ${String(options.kid)}`);
    const body: JwtPayload = { ...payload };
    if (options.notBefore !== undefined)
      body['nbf'] = Math.floor(Date.now() / 1000) + options.notBefore;
    for (const [name, value] of Object.entries(options.claims ?? {})) {
      if (value === undefined) delete body[name];
      else body[name] = value;
    }
    const header: JwtHeader = { kid: key.kid, alg: 'RS256', ...options.header };
    return signJwt(header, body, key.privateKey);
  }

  private withForeignKey(options: TokenOptions, kid: string): string {
    // One foreign key per issuer: RSA key generation costs ~100 ms, and any foreign key will do.
    this.foreignKey ??= newKey();
    const foreign = this.foreignKey;
    const payload = claimsOf(this.accessToken(options));
    return signJwt({ kid, alg: 'RS256' }, payload, foreign.privateKey);
  }

  private serve(url: string, res: ServerResponse): void {
    const path = url.split('?')[0];
    if (path !== `/${this.userPoolId}/.well-known/jwks.json`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    this.jwksRequests++;
    const fault = this.fault;
    const json = JSON.stringify(this.jwks);
    switch (fault?.kind) {
      case undefined:
        res.writeHead(200, { 'content-type': 'application/json' }).end(json);
        return;
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      case 'hang':
        return;
      case 'delay':
        setTimeout(
          () => res.writeHead(200, { 'content-type': 'application/json' }).end(json),
          fault.ms,
        ).unref();
        return;
      case 'html':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Bad gateway</body></html>');
        return;
      case 'oversized': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < fault.bytes && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end(json);
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'invalid-keys':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"keys":[{"kty":"RSA","kid":"x","n":5}]}');
        return;
      case 'reset':
        res.socket?.destroy();
        return;
    }
  }
}

/**
 * Creates a loopback token issuer. Call `start()` before minting tokens: the issuer URL holds
 * the port.
 *
 * @example
 * ```ts
 * const issuer = await createTestIssuer().start();
 * const guard = createGuard(issuer.config);
 * const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
 * await issuer.stop();
 * ```
 */
export function createTestIssuer(options: TestIssuerOptions = {}): TestIssuer {
  return new TestIssuer(options);
}

function customised(
  payload: JwtPayload,
  tokenUse: 'access' | 'id',
  options: Pick<TokenOptions, 'preTokenGeneration'>,
): JwtPayload {
  const response = options.preTokenGeneration;
  return response === undefined ? payload : applyPreTokenGeneration(payload, tokenUse, response);
}

function newKey(): SigningKey {
  const kid = randomBytes(12).toString('base64url');
  return importKey({ kid, privateKeyPem: rsaKeyPem() });
}

// RSA key generation costs 50-180 ms; a test run makes hundreds of issuers. With
// COGNITO_GUARD_TEST_KEY_CACHE set (the repository's Jest preset sets it), the n-th key a
// process makes is kept in that folder and reused by the next run: still a different key for
// every issuer within a run, never a fixed key in the package. Never set it for real issuers.
let keysMade = 0;
function rsaKeyPem(): string {
  const generate = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
  const folder = process.env['COGNITO_GUARD_TEST_KEY_CACHE'];
  if (!folder) return generate();
  keysMade++;
  const file = join(folder, `rsa-${keysMade}.pem`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const pem = generate();
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(file, pem, { mode: 0o600 });
  return pem;
}

function importKey(exported: ExportedSigningKey): SigningKey {
  const privateKey = createPrivateKey(exported.privateKeyPem);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const { kid } = exported;
  return {
    kid,
    privateKey,
    publicJwk: { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' },
  };
}

function subFor(username: string): string {
  const hex = createHash('sha256').update(username).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function splitToken(token: string): { header: string; payload: JwtPayload; signature: string } {
  const [header = '', , signature = ''] = token.split('.');
  return { header, payload: claimsOf(token), signature };
}

function claimsOf(token: string): JwtPayload {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as JwtPayload;
}
