// Where Cognito pools issue tokens from and publish their keys.

const AWS_USER_POOL_ID = /^(?<region>(?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$/;

/**
 * Tells whether an id has the shape of a real Cognito user pool id (`<region>_<id>`).
 *
 * @example
 * ```ts
 * isAwsUserPoolId('eu-west-1_AbCdEf123'); // true
 * isAwsUserPoolId('local_5PceJQBy');       // false: an emulator's id, needs an issuer override
 * ```
 */
export function isAwsUserPoolId(userPoolId: string): boolean {
  return AWS_USER_POOL_ID.test(userPoolId);
}

/**
 * The issuers a real Cognito pool signs with: the regional one, then the global ("updated" issuer
 * format, which aws-jwt-verify 5.2 also accepts), then one per Multi-Region Replication replica.
 * A replica on the original issuer format names its own region in `iss`, with the primary's pool
 * id (`https://cognito-idp.us-west-2.amazonaws.com/us-east-1_abc`), and serves keys there.
 *
 * @example
 * ```ts
 * cognitoIssuers('eu-west-1_abc')[0].issuer; // 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc'
 * cognitoIssuers('us-east-1_abc', ['us-west-2'])[2].issuer; // 'https://cognito-idp.us-west-2.amazonaws.com/us-east-1_abc'
 * ```
 */
export function cognitoIssuers(
  userPoolId: string,
  replicaRegions: readonly string[] = [],
): { issuer: string; jwksUri: string }[] {
  const region = AWS_USER_POOL_ID.exec(userPoolId)?.groups?.['region'];
  if (region === undefined) throw new TypeError(`Not a Cognito user pool id: ${userPoolId}`);
  const hosts = [`cognito-idp.${region}`, `issuer-cognito-idp.${region}`];
  for (const replica of replicaRegions) {
    if (replica !== region) hosts.push(`cognito-idp.${replica}`);
  }
  return [...new Set(hosts)].map((host) => {
    const issuer = `https://${host}.amazonaws.com/${userPoolId}`;
    return { issuer, jwksUri: `${issuer}/.well-known/jwks.json` };
  });
}

/**
 * Tells whether a URL points at this machine, where plain `http://` carries no interception risk
 * (emulators such as cognito-local and LocalStack).
 *
 * @example
 * ```ts
 * isLoopbackUrl(new URL('http://localhost:9229/local_abc')); // true
 * ```
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === 'localhost.localstack.cloud' ||
    host === '[::1]' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}
