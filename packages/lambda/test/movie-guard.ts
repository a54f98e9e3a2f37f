// A loopback issuer and a guard on it, started before a file's tests and stopped after them, and
// the scenario's two callers: alice (movies-group) and bob (shows-group).

import { createTestIssuer, type TestIssuer } from '@cognito-guard/testing';
import { cognitoGuard, type LambdaGuard } from '../src';

/** Registers the hooks; read `issuer` and `guard` inside tests, once they have run. */
export function movieGuard() {
  let issuer: TestIssuer | undefined;
  let guard: LambdaGuard | undefined;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
    guard = cognitoGuard(issuer.config);
    await guard.ready();
  });
  afterAll(() => issuer?.stop());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('read inside a test, after beforeAll');
    return value;
  };
  const scene = {
    get issuer() {
      return started(issuer);
    },
    get guard() {
      return started(guard);
    },
    alice: () => scene.issuer.accessToken({ username: 'alice', groups: ['movies-group'] }),
    bob: () => scene.issuer.accessToken({ username: 'bob', groups: ['shows-group'] }),
  };
  return scene;
}
