// @cognito-guard/testing: mint Cognito-shaped tokens against a loopback JWKS.

export type { AlbDataOptions, AlbSigner, AlbSignerOptions } from './alb-signer';
export { createAlbSigner } from './alb-signer';
export type { AttackCase } from './attacks';
export { attackBattery, twoSourcesAttack } from './attacks';
export type { AwsEndpointBody, AwsEndpoints } from './aws-endpoints';
export { startAwsEndpoints } from './aws-endpoints';
export type {
  HttpApiEventOptions,
  HttpEventOptions,
  LambdaContextOverrides,
  RequestEventOptions,
} from './events';
export {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  httpAuthorizerClaims,
  httpAuthorizerEvent,
  javaDate,
  lambdaContext,
  latticeEvent,
  requestAuthorizerEvent,
  restAuthorizerClaims,
  restProxyEvent,
  tokenAuthorizerEvent,
} from './events';
export type { StartOnFreePortOptions } from './free-port';
export { freeLoopbackPort, startOnFreePort } from './free-port';
export type { JwtHeader, JwtPayload } from './jwt';
export { base64url, decodeJwt, encodeJwt, signJwt } from './jwt';
export type { StreamedResponse } from './lambda-streaming';
export { awslambda, invokeStreaming, TestResponseStream } from './lambda-streaming';
export type {
  PreTokenGenerationResponse,
  TokenGenerationOverride,
} from './pre-token-generation';
export { applyPreTokenGeneration } from './pre-token-generation';
export type { RawResponse } from './raw-http';
export { sendRaw } from './raw-http';
export type { RedisCluster, RedisClusterOptions } from './redis-cluster';
export { startRedisCluster } from './redis-cluster';
export type { RedisServer, RedisServerOptions } from './redis-server';
export { redisServerAvailable, startRedisServer } from './redis-server';
export { expectedMovieStatus, MOVIE_USERS } from './scenario';
export type {
  BrokenTokenKind,
  ExportedSigningKey,
  IdTokenOptions,
  JwksFault,
  TestIssuerConfig,
  TestIssuerOptions,
  TokenOptions,
} from './test-issuer';
export { BROKEN_TOKEN_KINDS, createTestIssuer, TestIssuer } from './test-issuer';
export type { TokenKindCase } from './token-kinds';
export { TOKEN_KIND_POLICY, tokenKindCases } from './token-kinds';
