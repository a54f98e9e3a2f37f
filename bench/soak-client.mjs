// The soak's load generator (a child process of soak.mjs): keeps `connections` requests in
// flight over keep-alive sockets for a bounded time, and checks every status.

import { Agent, request } from 'node:http';

const ROUTES = [
  ['/movies', 'movies-group'],
  ['/movies/1', 'movies-group'],
  ['/shows', 'shows-group'],
  ['/shows/2', 'shows-group'],
  ['/health', null],
  ['/nowhere', 'deny'],
];

function expectedStatus(user, [, need]) {
  if (need === null) return 200;
  if (user.kind !== 'valid') return 401;
  if (need === 'deny') return 403;
  return user.groups.includes(need) ? 200 : 403;
}

process.once('message', async ({ port, users, seconds, connections }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const deadline = Date.now() + seconds * 1000;
  const statuses = {};
  const examples = [];
  let requests = 0;
  let mismatches = 0;
  let serverErrors = 0;
  let seed = 12345;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };

  const one = () =>
    new Promise((resolve) => {
      const user = users[random(users.length)];
      const route = ROUTES[random(ROUTES.length)];
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: route[0],
          agent,
          headers: { authorization: `Bearer ${user.token}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            requests++;
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            if (res.statusCode >= 500) serverErrors++;
            const want = expectedStatus(user, route);
            if (res.statusCode !== want) {
              mismatches++;
              if (examples.length < 5)
                examples.push({
                  route: route[0],
                  kind: user.kind,
                  groups: user.groups,
                  got: res.statusCode,
                  want,
                });
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        serverErrors++;
        resolve();
      });
      req.end();
    });

  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  agent.destroy();
  process.send({ requests, mismatches, serverErrors, statuses, examples }, () => process.exit(0));
});
