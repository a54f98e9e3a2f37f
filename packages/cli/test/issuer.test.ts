// `issuer serve` in one process, `mint` in another: the minted token verifies against the keys
// the server publishes, with the environment it printed.

import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from './run-cli';

describe('issuer serve and mint, across processes', () => {
  it('serves keys, mints tokens that verify, and cleans up on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cognito-guard-issuer-'));
    const server = await startCli(['issuer', 'serve'], 'Ctrl-C stops', cwd);
    try {
      const env = Object.fromEntries(
        [...server.output().matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
      );
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID', 'COGNITO_ISSUER']),
      );
      expect(existsSync(join(cwd, '.cognito-guard', 'issuer.json'))).toBe(true);

      const minted = await runCli(
        ['mint', '--groups', 'movies-group,editors', '--expires-in', '600'],
        { cwd },
      );
      expect(minted.code).toBe(0);
      const token = minted.stdout.trim();
      const verified = await runCli(['verify', token, '--json'], { env });
      expect(verified.code).toBe(0);
      expect(JSON.parse(verified.stdout).principal.groups).toEqual(['movies-group', 'editors']);

      const id = await runCli(['mint', '--token-use', 'id', '--json'], { cwd });
      expect(JSON.parse(id.stdout).tokenUse).toBe('id');
      const idVerified = await runCli(['verify', JSON.parse(id.stdout).token, '--json'], { env });
      expect(JSON.parse(idVerified.stdout).principal.tokenUse).toBe('id');

      const expired = await runCli(['mint', '--expires-in', '-60'], { cwd });
      const refused = await runCli(['verify', expired.stdout.trim(), '--json'], { env });
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout).reason).toBe('token_expired');
    } finally {
      server.child.kill('SIGTERM');
      const [code] = await once(server.child, 'close');
      expect(code).toBe(0);
    }
    expect(existsSync(join(cwd, '.cognito-guard', 'issuer.json'))).toBe(false);
    const after = await runCli(['mint'], { cwd });
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('start `cognito-guard issuer serve` first');
  });
});
