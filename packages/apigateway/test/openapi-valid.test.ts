// The exported documents (HTTP and REST) are valid OpenAPI 3, as checked by a maintained validator
// (@readme/openapi-parser), for the example policy and for generated ones.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoutePolicy } from '@cognito-guard/core';
import { compileErrors, validate } from '@readme/openapi-parser';
import { exportHttpApi, exportRestApi } from '../src';

const options = {
  config: { userPoolId: 'eu-west-1_AbCdEf123', clientId: 'web' },
  authorizerUri:
    'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authorizer/invocations',
};

async function expectValid(policy: RoutePolicy): Promise<void> {
  const rest = {
    ...options,
    userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123',
    integrationUri: 'arn:integration',
  };
  for (const { document } of [exportHttpApi(policy, options), exportRestApi(policy, rest)]) {
    const result = await validate(JSON.parse(JSON.stringify(document)));
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
  }
}

describe('exported OpenAPI documents', () => {
  it('are valid for the example policy', async () => {
    await expectValid(
      JSON.parse(
        readFileSync(join(__dirname, '..', '..', '..', 'examples', 'policy.json'), 'utf8'),
      ) as RoutePolicy,
    );
  });

  it('are valid with parameters, greedy paths, ANY, $default and both authorizers', async () => {
    await expectValid({
      routes: {
        'GET /movies/{id}': { scopes: ['movies/read'] },
        'PUT /movies/{id}/cast/{actorId}': { groups: ['editors'] },
        'ANY /admin/{proxy+}': { groups: ['admins'] },
        'GET /': { public: true },
        $default: { groups: ['admins'] },
      },
    });
  });
});
