// Runs the handlers and the authorizer locally, with builder events and real tokens from the
// embedded test issuer, and prints the same user × route table as `pnpm demo`.
//   node dist/local.js           exit 0 when every status is as expected, 1 otherwise

import {
  createTestIssuer,
  httpApiEvent,
  lambdaContext,
  MOVIE_USERS,
  type TestIssuer,
  tokenAuthorizerEvent,
} from '@cognito-guard/testing';

const issuer: TestIssuer = await createTestIssuer({
  userPoolId: 'local_lambdaDemo',
  clientId: 'demo-client',
}).start();
Object.assign(process.env, issuer.env);
// Imported after the environment is set: the handlers read it once, on first use.
const { movies, shows, health } = await import('./handlers');
const { handler: authorizer } = await import('./authorizer');

const users: Record<string, readonly string[]> = MOVIE_USERS;
const callers = [
  ...Object.entries(users).map(([name, groups]) => ({
    name,
    token: issuer.accessToken({ username: name, groups }) as string | undefined,
  })),
  { name: '(no token)', token: undefined },
  {
    name: '(expired)',
    token: issuer.brokenToken('expired', { username: 'alice', groups: ['movies-group'] }),
  },
];
const expected: Record<string, number[]> = {
  alice: [200, 403, 200, 200, 403],
  bob: [403, 200, 200, 403, 200],
  carol: [200, 200, 200, 200, 200],
  dave: [403, 403, 200, 403, 403],
  '(no token)': [401, 401, 200, 401, 401],
  '(expired)': [401, 401, 200, 401, 401],
};

// What API Gateway would answer for an authorizer result on a route.
async function viaAuthorizer(token: string | undefined, path: string): Promise<number> {
  try {
    const result = (await authorizer(
      tokenAuthorizerEvent({ token: token ? `Bearer ${token}` : '', path }),
    )) as {
      policyDocument: { Statement: { Effect: string; Resource: string[] }[] };
    };
    const arn = `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET${path}`;
    const match = (pattern: string) =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\$]/g, '\\$&'))
          .join('.*')}$`,
      ).test(arn);
    const hit = (effect: string) =>
      result.policyDocument.Statement.some((s) => s.Effect === effect && s.Resource.some(match));
    return !hit('Deny') && hit('Allow') ? 200 : 403;
  } catch (err) {
    return (err as Error).message === 'Unauthorized' ? 401 : 500;
  }
}

const header = [
  'caller',
  'λ GET /movies',
  'λ GET /shows',
  'λ GET /health',
  'authorizer /movies',
  'authorizer /shows',
];
const rows: string[][] = [];
let mismatches = 0;
for (const caller of callers) {
  const event = (path: string) =>
    httpApiEvent({ path, routeKey: `GET ${path}`, token: caller.token });
  const statuses = [
    ((await movies(event('/movies'), lambdaContext())) as { statusCode: number }).statusCode,
    ((await shows(event('/shows'), lambdaContext())) as { statusCode: number }).statusCode,
    (await health()).statusCode,
    await viaAuthorizer(caller.token, '/movies'),
    await viaAuthorizer(caller.token, '/shows'),
  ];
  const cells = statuses.map((status, i) => {
    const want = expected[caller.name]?.[i];
    if (status !== want) mismatches++;
    return status === want ? String(status) : `${status}≠${want}`;
  });
  rows.push([caller.name, ...cells]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) =>
  `│ ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' │ ')} │`;
console.log(`\ncognito-guard Lambda demo (issuer ${issuer.issuer})\n`);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  mismatches === 0
    ? '\nevery status is as expected'
    : `\n${mismatches} status(es) differ from the expected ones`,
);
await issuer.stop();
process.exit(mismatches === 0 ? 0 : 1);
