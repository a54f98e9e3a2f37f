// Type-checked by `pnpm typecheck`, never run: the testing kit's fake context, plain or with every
// field a test may replace, is a `Context` to handlers typed with @types/aws-lambda.

import { lambdaContext } from '@cognito-guard/testing';
import type { Context } from 'aws-lambda';

export const plain: Context = lambdaContext();
export const replaced: Context = lambdaContext({
  functionName: 'movies-api',
  identity: { cognitoIdentityId: 'eu-west-1:1234', cognitoIdentityPoolId: 'eu-west-1:5678' },
  clientContext: {
    client: {
      installationId: 'install',
      appTitle: 'Movies',
      appVersionName: '1.0',
      appVersionCode: '1',
      appPackageName: 'com.example.movies',
    },
    env: { platformVersion: '17', platform: 'iOS', make: 'Apple', model: 'iPhone', locale: 'en' },
  },
  tenantId: 'tenant-1',
  getRemainingTimeInMillis: () => 5_000,
});
