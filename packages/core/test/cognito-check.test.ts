// The claim checks aws-jwt-verify runs for each pool (cognitoCheck), on their own. In the
// pipeline, decomposeToken refuses a non-finite expiry first and the principal's own checks
// repeat the client and token use, so only a test of this layer alone shows it refuses them too.

import { resolveConfig } from '../src/config/resolve-config';
import { cognitoCheck } from '../src/token/cognito-check';

const config = resolveConfig({ userPoolId: 'eu-west-1_abc', clientId: 'web' });
const [pool] = config.pools;
if (pool === undefined) throw new Error('a configuration of one pool resolves to one pool');
const check = cognitoCheck(pool, config);
const good = { sub: 'a', token_use: 'access', client_id: 'web', exp: 2_000_000_000 };
const run = (payload: Record<string, unknown>) => () =>
  check({ header: { alg: 'RS256' }, payload });

describe('cognitoCheck, alone', () => {
  it('passes a payload that meets every check', () => {
    expect(run(good)).not.toThrow();
  });

  it.each([
    ['an expiry of Infinity (JSON 1e999)', { exp: Number.POSITIVE_INFINITY }, 'exp_missing'],
    ['an expiry of NaN', { exp: Number.NaN }, 'exp_missing'],
    ['an expiry given as a string', { exp: '2000000000' }, 'exp_missing'],
    ['no expiry', { exp: undefined }, 'exp_missing'],
    ['a client id that is not a string', { client_id: 7 }, 'client_invalid'],
    ['another client', { client_id: 'mobile' }, 'client_invalid'],
    ['another token use', { token_use: 'id' }, 'wrong_token_use'],
  ])('refuses %s', (_, change, reason) => {
    expect(run({ ...good, ...change })).toThrow(expect.objectContaining({ reason }));
  });
});
