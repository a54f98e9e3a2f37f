// The one place cognito-guard reaches past aws-jwt-verify's public API. Its verifier is reused
// through a protected method (`getVerifyParameters`) so that each token is decomposed by ours
// (parsed once, repeated JSON keys refused), and its loosely typed factory is narrowed here.
// test/aws-jwt-verify-seam.test.ts fails loudly if a release moves any of it.

import type { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import {
  JwtVerifier,
  type JwtVerifierProperties,
  type VerifyProperties,
} from 'aws-jwt-verify/jwt-verifier';
import { decomposeToken } from './decompose-token';

type IssuerProps = JwtVerifierProperties<VerifyProperties>;

/** One issuer the verifier accepts, with the checks aws-jwt-verify runs for it. */
export interface IssuerSettings {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly graceSeconds: number;
  /** Throws to refuse a token whose signature and standard claims are valid. */
  readonly customJwtCheck: (input: {
    header: { alg?: unknown; crit?: unknown };
    payload: Record<string, unknown>;
  }) => void;
}

/** aws-jwt-verify's verifier, as the token verifier uses it. */
export interface SignatureVerifier {
  /** Verifies with cached keys; throws `KidNotFoundInJwksError` when keys must be fetched. */
  verifySync(token: string): Record<string, unknown>;
  /** Verifies, fetching keys when needed. */
  verify(token: string): Promise<Record<string, unknown>>;
}

class CognitoJwtVerifierCore extends JwtVerifier<VerifyProperties, IssuerProps, true> {
  realm = 'api';

  protected override getVerifyParameters(
    jwt: string,
    verifyProperties?: Partial<VerifyProperties>,
  ): {
    decomposedJwt: DecomposedJwt;
    jwksUri: string;
    verifyProperties: VerifyProperties & IssuerProps;
  } {
    const decomposedJwt = decomposeToken(jwt, this.realm);
    const issuerConfig = this.getIssuerConfig(decomposedJwt.payload.iss);
    return {
      decomposedJwt,
      jwksUri: issuerConfig.jwksUri,
      verifyProperties: { ...issuerConfig, ...verifyProperties } as VerifyProperties & IssuerProps,
    };
  }
}

/**
 * Creates aws-jwt-verify's verifier for these issuers on a shared JWKS cache, decomposing each
 * token with cognito-guard's own parser (its errors carry `realm`).
 *
 * @example
 * ```ts
 * const verifier = createSignatureVerifier([{ issuer, jwksUri, graceSeconds: 0, customJwtCheck }], jwksCache, 'api');
 * const payload = verifier.verifySync(token);
 * ```
 */
export function createSignatureVerifier(
  issuers: readonly IssuerSettings[],
  jwksCache: SimpleJwksCache,
  realm: string,
): SignatureVerifier {
  // `create` is typed for literal issuer tuples; the audience is checked by customJwtCheck
  // (Cognito's access tokens carry no `aud`).
  const settings = issuers.map((issuer) => ({ ...issuer, audience: null }));
  const verifier = CognitoJwtVerifierCore.create(settings as never, {
    jwksCache,
  }) as unknown as CognitoJwtVerifierCore;
  verifier.realm = realm;
  return {
    verifySync: (token) => verifier.verifySync(token, {} as never) as Record<string, unknown>,
    verify: (token) =>
      verifier.verify(token, {} as never) as unknown as Promise<Record<string, unknown>>,
  };
}
