// The load generator (a child process of run.mjs): autocannon against one server for a bounded
// time, with one repeated token or a rotation of pre-minted unique tokens. It reads its tokens
// first and answers 'ready'; it starts on 'go', so that several generators driving servers at
// the same time (run.mjs's paired rounds) start together rather than one file read apart.

import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

process.once(
  'message',
  ({ url, tokensFile, mode, seconds, connections, start = 0, overallRate }) => {
    const tokens = JSON.parse(readFileSync(tokensFile, 'utf8'));
    const list = mode === 'unique' ? tokens.unique : [tokens.repeated];
    let next = start % list.length;
    let handedOut = 0;
    // One token: a fixed header, so autocannon builds the request once and the load generator
    // stays cheap beside the server. Many tokens: a header per request, rotating.
    const perRequest = list.length > 1;
    const options = {
      url: perRequest ? url : `${url}/movies`,
      connections,
      duration: seconds,
      // An open-loop run: a fixed rate, latencies corrected for coordinated omission (autocannon
      // counts a request from when it was due, not from when a busy connection could send it).
      ...(overallRate ? { overallRate } : {}),
      ...(perRequest
        ? {
            requests: [
              {
                method: 'GET',
                path: '/movies',
                setupRequest(request) {
                  const token = list[next];
                  handedOut++;
                  next = next + 1 === list.length ? 0 : next + 1;
                  return {
                    ...request,
                    headers: { ...request.headers, authorization: `Bearer ${token}` },
                  };
                },
              },
            ],
          }
        : { headers: { authorization: `Bearer ${list[0]}` } }),
    };
    process.once('message', async () => {
      const result = await autocannon(options);
      process.send(
        {
          requestsPerSecond: result.requests.average,
          total: result.requests.total,
          p50: result.latency.p50,
          p99: result.latency.p99,
          p99_9: result.latency.p99_9,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          tokensUsed: Math.min(result.requests.total, list.length),
          // Tokens sent, answered or still in flight at the end: where the next round goes on from.
          handedOut,
        },
        () => process.exit(0),
      );
    });
    process.send('ready');
  },
);
