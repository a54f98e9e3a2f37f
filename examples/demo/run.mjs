#!/usr/bin/env node
// The demo: the movies API on Express, Koa, Fastify and Hono, enforcing Cognito groups against the
// embedded test issuer, no AWS account needed. Prints who may call what (every framework must
// answer the same), then curl commands with live tokens for the Express app.
//   node examples/demo/run.mjs           keep serving until Ctrl-C
//   node examples/demo/run.mjs --once    exit after the table; non-zero if any status is unexpected

import { cognitoGuard, createApp } from '@cognito-guard/example-express-movies';
import * as fastifyMovies from '@cognito-guard/example-fastify-movies';
import * as honoMovies from '@cognito-guard/example-hono-movies';
import * as koaMovies from '@cognito-guard/example-koa-movies';
import { createTestIssuer, MOVIE_USERS } from '@cognito-guard/testing';
import { serve } from '@hono/node-server';

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

// The twins, on ports of their own: the table asks each the same questions.
const listening = (s) =>
  new Promise((resolve, reject) => s.once('listening', () => resolve(s)).once('error', reject));
const koa = await listening(
  koaMovies.createApp(koaMovies.cognitoGuard(issuer.config), style).listen(0, '127.0.0.1'),
);
const fastify = await fastifyMovies.createApp(fastifyMovies.cognitoGuard(issuer.config), style);
await fastify.listen({ port: 0, host: '127.0.0.1' });
const hono = await listening(
  serve({
    fetch: honoMovies.createApp(honoMovies.cognitoGuard(issuer.config), style).fetch,
    port: 0,
    hostname: '127.0.0.1',
  }),
);
const urlOf = (s) => `http://127.0.0.1:${s.address().port}`;
const frameworks = [
  ['express', base],
  ['koa', urlOf(koa)],
  ['fastify', urlOf(fastify.server)],
  ['hono', urlOf(hono)],
];

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
    const want = expected[caller.name][i];
    const wrong = [];
    for (const [name, url] of frameworks) {
      const res = await fetch(url + route, { headers });
      await res.arrayBuffer();
      if (res.status !== want) wrong.push(`${name} ${res.status}`);
    }
    if (wrong.length > 0) mismatches++;
    cells.push(wrong.length === 0 ? String(want) : `${want}≠ (${wrong.join(', ')})`);
  }
  rows.push([caller.name, caller.note, ...cells]);
}

const header = ['caller', 'groups', ...routes.map((r) => `GET ${r}`)];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `│ ${cells.map((c, i) => c.padEnd(widths[i])).join(' │ ')} │`;
const rule = (l, m, r) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
console.log(
  `\ncognito-guard demo: the movies API on ${frameworks.map(([n]) => n).join(', ')} (${style} guard), each asked every question`,
);
console.log(frameworks.map(([name, url]) => `  ${name.padEnd(8)} ${url}`).join('\n'));
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

const closeTwins = async () => {
  koa.close();
  hono.close();
  await fastify.close();
};

if (once) {
  server.close();
  await closeTwins();
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
  closeTwins()
    .then(() => issuer.stop())
    .then(() => process.exit(0));
});
