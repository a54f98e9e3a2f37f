// Which pool ids are real Cognito ones (their issuers are derived; any other needs `issuer`), and
// which URLs are this machine's, the only ones plain http:// may reach (`allowInsecureHttp`).

import { cognitoIssuers, isAwsUserPoolId } from '../src/subpaths/advanced';
import { isLoopbackUrl } from '../src/token/issuer';

describe('isAwsUserPoolId', () => {
  it('takes <region>_<id> and nothing around it', () => {
    for (const id of ['eu-west-1_AbC123', 'us-gov-west-1_a', 'eusc-de-east-1_a']) {
      expect(isAwsUserPoolId(id)).toBe(true);
    }
    for (const id of ['local_abc', 'x/eu-west-1_abc', 'eu-west-1_abc/../x', 'eu-west-1_a-b', '']) {
      expect(isAwsUserPoolId(id)).toBe(false);
    }
  });
});

describe('cognitoIssuers', () => {
  it('lists the regional and global issuers, then each replica region once', () => {
    expect(cognitoIssuers('us-east-1_abc', ['us-west-2', 'us-east-1', 'us-west-2'])).toStrictEqual(
      ['cognito-idp.us-east-1', 'issuer-cognito-idp.us-east-1', 'cognito-idp.us-west-2'].map(
        (host) => ({
          issuer: `https://${host}.amazonaws.com/us-east-1_abc`,
          jwksUri: `https://${host}.amazonaws.com/us-east-1_abc/.well-known/jwks.json`,
        }),
      ),
    );
    expect(cognitoIssuers('eu-west-1_abc')).toHaveLength(2);
  });

  it('refuses an id that is not a Cognito pool id, naming it', () => {
    expect(() => cognitoIssuers('local_abc')).toThrow(
      new TypeError('Not a Cognito user pool id: local_abc'),
    );
  });
});

describe('isLoopbackUrl', () => {
  it('is true for this machine only', () => {
    for (const url of [
      'http://localhost:9229/x',
      'http://LOCALHOST/x',
      'http://cognito.localhost/x',
      'http://localhost.localstack.cloud:4566/x',
      'http://[::1]:8080/x',
      'http://127.0.0.1/x',
      'http://127.1.2.3/x',
    ]) {
      expect(isLoopbackUrl(new URL(url))).toBe(true);
    }
    for (const url of [
      'http://localhost.evil.example/x',
      'http://evillocalhost/x',
      'http://localhost.localstack.cloud.evil.example/x',
      'http://128.0.0.1/x',
      'http://10.127.0.0/x',
      'http://[::2]/x',
      'http://cognito-idp.eu-west-1.amazonaws.com/x',
    ]) {
      expect(isLoopbackUrl(new URL(url))).toBe(false);
    }
  });
});
