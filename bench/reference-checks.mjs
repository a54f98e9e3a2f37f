// The checks the offload studies set beside the core's miss path, each resolving to a function
// that answers whether a token passes:
// - signatureOnly: only the RS256 signature, with node:crypto, against the issuer's first key;
//   no claim is read, the floor of any check;
// - libraryAlone: aws-jwt-verify's verifySync with the same Cognito checks, as the hand-written
//   contenders create it (bench/server.mjs).

import { createPublicKey, verify } from 'node:crypto';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';

const keysOf = async (jwksUri) => (await fetch(jwksUri)).json();

/** Resolves to a check of the token's signature alone. */
export async function signatureOnly({ jwksUri }) {
  const publicKey = createPublicKey({ key: (await keysOf(jwksUri)).keys[0], format: 'jwk' });
  return (token) => {
    const dot = token.lastIndexOf('.');
    const signed = Buffer.from(token.slice(0, dot));
    return verify('sha256', signed, publicKey, Buffer.from(token.slice(dot + 1), 'base64url'));
  };
}

/** Resolves to aws-jwt-verify's own check of an access token of the configured client. */
export async function libraryAlone({ issuer, jwksUri, clientId }) {
  const verifier = JwtVerifier.create({
    issuer,
    audience: null,
    jwksUri,
    customJwtCheck: ({ payload }) =>
      validateCognitoJwtFields(payload, { tokenUse: 'access', clientId }),
  });
  verifier.cacheJwks(await keysOf(jwksUri));
  return (token) => {
    try {
      verifier.verifySync(token);
      return true;
    } catch {
      return false;
    }
  };
}
