// @cognito-guard/testing: mint Cognito-shaped tokens against a loopback JWKS.

export { base64url, decodeJwt, encodeJwt, signJwt } from './jwt';
export type { JwtHeader, JwtPayload } from './jwt';
export { createTestIssuer, TestIssuer } from './test-issuer';
export type {
  BrokenTokenKind,
  IdTokenOptions,
  JwksFault,
  TestIssuerConfig,
  TestIssuerOptions,
  TokenOptions,
} from './test-issuer';
