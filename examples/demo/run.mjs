#!/usr/bin/env node
// The demo: the Express movies API enforcing Cognito groups against the embedded test issuer,
// no AWS account needed. Prints who may call what, then curl commands with live tokens.
//   node examples/demo/run.mjs           keep serving until Ctrl-C
//   node examples/demo/run.mjs --once    exit after the table; non-zero if any status is unexpected

import { cognitoGuard, createApp } from '@cognito-guard/example-express-movies';
import { createTestIssuer, MOVIE_USERS } from '@cognito-guard/testing';

// Serve on a terminal; exit after the table when a script runs it (no TTY, or CI set).
const once = process.argv.includes('--once') || !process.stdout.isTTY || Boolean(process.env.CI);
const style = process.argv.includes('--inline') ? 'inline' : 'policy';
const port = once ? 0 : Number(process.env.PORT ?? 3000);

const issuer = await createTestIssuer({
  userPoolId: 'local_demoPool',
  clientId: 'demo-client',
}).start();
const guard = cognitoGuard(issuer.config);
await guard.ready();
const server = createApp(guard, style).listen(port, '127.0.0.1');
await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
const base = `http://127.0.0.1:${server.address().port}`;

const users = MOVIE_USERS;
const callers = [
  ...Object.entries(users).map(([name, groups]) => ({
    name,
    note: groups.length ? groups.join(' + ') : 'no group',
    token: issuer.accessToken({ username: name, groups }),
  })),
  { name: '(no token)', note: 'anonymous', token: undefined },
  {
    name: '(expired)',
    note: 'alice, expired',
    token: issuer.brokenToken('expired', { username: 'alice', groups: users.alice }),
  },
  {
    name: '(tampered)',
    note: 'bob, groups rewritten',
    token: issuer.brokenToken('tampered', { username: 'bob', groups: users.bob }),
  },
];
const routes = ['/movies', '/shows', '/health'];
const expected = {
  alice: [200, 403, 200],
  bob: [403, 200, 200],
  carol: [200, 200, 200],
  dave: [403, 403, 200],
  '(no token)': [401, 401, 200],
  '(expired)': [401, 401, 200],
  '(tampered)': [401, 401, 200],
};

const rows = [];
let mismatches = 0;
for (const caller of callers) {
  const cells = [];
  for (const [i, route] of routes.entries()) {
    const headers = caller.token ? { authorization: `Bearer ${caller.token}` } : {};
    const res = await fetch(base + route, { headers });
    await res.arrayBuffer();
    const want = expected[caller.name][i];
    const ok = res.status === want;
    if (!ok) mismatches++;
    cells.push(ok ? String(res.status) : `${res.status}≠${want}`);
  }
  rows.push([caller.name, caller.note, ...cells]);
}

const header = ['caller', 'groups', ...routes.map((r) => `GET ${r}`)];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `│ ${cells.map((c, i) => c.padEnd(widths[i])).join(' │ ')} │`;
const rule = (l, m, r) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
console.log(`\ncognito-guard demo: Express movies API (${style} guard) at ${base}`);
console.log(`issuer ${issuer.issuer} (embedded, keys at ${issuer.jwksUri})\n`);
console.log(rule('┌', '┬', '┐'));
console.log(line(header));
console.log(rule('├', '┼', '┤'));
for (const row of rows) console.log(line(row));
console.log(rule('└', '┴', '┘'));
console.log(
  mismatches === 0
    ? 'every status is as expected'
    : `${mismatches} status(es) differ from the expected ones`,
);

if (once) {
  server.close();
  await issuer.stop();
  process.exit(mismatches === 0 ? 0 : 1);
}

console.log('\nTry it yourself (tokens valid for one hour):\n');
for (const caller of callers.slice(0, 4)) {
  console.log(`# ${caller.name} (${caller.note})`);
  console.log(`curl -i ${base}/movies -H 'Authorization: Bearer ${caller.token}'`);
  // The same question to the CLI: which route, which rule, and the exact answer.
  const groups = users[caller.name];
  const who = groups === undefined ? '' : ` --groups ${groups.join(',') || ','}`;
  console.log(
    `pnpm exec cognito-guard explain --policy examples/policy.json --path /movies${who}\n`,
  );
}
console.log(`curl -i ${base}/health\n`);
console.log('Serving until Ctrl-C.');
process.on('SIGINT', () => {
  server.close();
  issuer.stop().then(() => process.exit(0));
});
