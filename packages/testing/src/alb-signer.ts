// An Application Load Balancer's signing side, for tests of `x-amzn-oidc-data`: an ES256 key with
// a UUID key id, its public key as the PEM the ALB key endpoint serves, and user-claims tokens in
// the ALB's own encoding (base64url with padding; signer, issuer, client and expiry in the header).

import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { albDataOptionsSchema, albSignerOptionsSchema, checkKitOptions } from './kit-options';

/** Options of {@link createAlbSigner}. */
export interface AlbSignerOptions {
  /** The load balancer's ARN, the header's `signer`. */
  readonly albArn?: string;
}

/** What a user-claims token carries besides its claims. */
export interface AlbDataOptions {
  /** The identity provider's issuer (the pool's `iss`). */
  readonly issuer: string;
  /** The app client the ALB authenticates with (the header's `client`). */
  readonly clientId: string;
  /** Seconds until `exp`. Default 120, as short as an ALB's. */
  readonly expiresIn?: number;
  /** Sign as another load balancer. */
  readonly signer?: string;
}

/** An ALB's key and user-claims tokens; see {@link createAlbSigner}. */
export interface AlbSigner {
  readonly albArn: string;
  readonly region: string;
  /** The key id: a UUID, as ALB key ids are. */
  readonly kid: string;
  /** Where the ALB publishes the public key: `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`. */
  readonly keyUrl: string;
  /** The public key, as that endpoint serves it (PEM). */
  readonly publicKeyPem: string;
  /** Signs user claims as the ALB does for `x-amzn-oidc-data`. */
  dataToken(claims: Readonly<Record<string, unknown>>, options: AlbDataOptions): string;
}

/**
 * Creates an ALB signer with a fresh ES256 key. Serve its key with `startAwsEndpoints`.
 *
 * @example
 * ```ts
 * const alb = createAlbSigner();
 * const aws = await startAwsEndpoints([new URL(alb.keyUrl).hostname]);
 * aws.serve(alb.keyUrl, { text: alb.publicKeyPem });
 * const data = alb.dataToken({ sub, email: 'alice@example.com' }, { issuer: pool.issuer, clientId: pool.clientId });
 * ```
 */
export function createAlbSigner(options: AlbSignerOptions = {}): AlbSigner {
  checkKitOptions('createAlbSigner', options, albSignerOptionsSchema());
  const albArn =
    options.albArn ??
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/movies/50dc6c495c0c9188';
  const region = albArn.split(':')[3] ?? 'eu-west-1';
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    albArn,
    region,
    kid,
    keyUrl: `https://public-keys.auth.elb.${region}.amazonaws.com/${kid}`,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    dataToken: (claims, data) => {
      checkKitOptions('dataToken', data, albDataOptionsSchema());
      return signAlbJwt(privateKey, kid, albArn, claims, data);
    },
  };
}

function signAlbJwt(
  key: KeyObject,
  kid: string,
  albArn: string,
  claims: Readonly<Record<string, unknown>>,
  options: AlbDataOptions,
): string {
  const exp = Math.floor(Date.now() / 1000) + (options.expiresIn ?? 120);
  const header = {
    typ: 'JWT',
    kid,
    alg: 'ES256',
    iss: options.issuer,
    client: options.clientId,
    signer: options.signer ?? albArn,
    exp,
  };
  const payload = { ...claims, exp, iss: options.issuer };
  const input = `${padded(JSON.stringify(header))}.${padded(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${padded(signature)}`;
}

// The ALB's encoding: base64url's alphabet, but with base64's `=` padding kept.
function padded(value: string | Buffer): string {
  return Buffer.from(value).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
