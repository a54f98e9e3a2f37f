#!/usr/bin/env node
// Seeds a running cognito-local with the movies/shows scenario (a pool, an app client, the two
// groups, alice in movies-group and bob in shows-group) and prints the lines to export.
// COGNITO_ISSUER is read from a token's own `iss`: the guard compares it character for
// character, and cognito-local writes `localhost` or `127.0.0.1` depending on its HOST.
//
//   pnpm --filter @cognito-guard/example-cognito-local start           # terminal 1
//   eval "$(pnpm --silent --filter @cognito-guard/example-cognito-local seed)"   # terminal 2

const url = (process.argv[2] ?? process.env.COGNITO_LOCAL_URL ?? 'http://localhost:9229').replace(
  /\/$/,
  '',
);
const PASSWORD = 'Movies-and-shows-1';
const USERS = { alice: 'movies-group', bob: 'shows-group' };

async function call(action, body) {
  let response;
  try {
    response = await fetch(`${url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(
      `cognito-local is not answering at ${url} (${err.cause?.code ?? err.message}); start it first`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const hint = /should be an email/.test(text)
      ? ' (the pool wants e-mail usernames: run cognito-local from a folder whose .cognito/config.json sets {"UserPoolDefaults":{"UsernameAttributes":[]}}, as this one does)'
      : '';
    throw new Error(`${action} failed: ${response.status} ${text}${hint}`);
  }
  return text ? JSON.parse(text) : {};
}

const { UserPool } = await call('CreateUserPool', { PoolName: 'movies' });
const { UserPoolClient } = await call('CreateUserPoolClient', {
  UserPoolId: UserPool.Id,
  ClientName: 'movies-web',
});
const exports = {};
for (const [username, group] of Object.entries(USERS)) {
  await call('CreateGroup', { UserPoolId: UserPool.Id, GroupName: group });
  await call('AdminCreateUser', {
    UserPoolId: UserPool.Id,
    Username: username,
    MessageAction: 'SUPPRESS',
  });
  await call('AdminSetUserPassword', {
    UserPoolId: UserPool.Id,
    Username: username,
    Password: PASSWORD,
    Permanent: true,
  });
  await call('AdminAddUserToGroup', {
    UserPoolId: UserPool.Id,
    Username: username,
    GroupName: group,
  });
  const { AuthenticationResult } = await call('InitiateAuth', {
    ClientId: UserPoolClient.ClientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD },
  });
  exports[`${username.toUpperCase()}_TOKEN`] = AuthenticationResult.AccessToken;
  exports[`${username.toUpperCase()}_ID_TOKEN`] = AuthenticationResult.IdToken;
}
const claims = JSON.parse(Buffer.from(exports.ALICE_TOKEN.split('.')[1], 'base64url').toString());
const lines = {
  COGNITO_USER_POOL_ID: UserPool.Id,
  COGNITO_CLIENT_ID: UserPoolClient.ClientId,
  COGNITO_ISSUER: claims.iss,
  COGNITO_TOKEN_USE: 'access',
  ...exports,
};
for (const [name, value] of Object.entries(lines)) console.log(`export ${name}=${value}`);
