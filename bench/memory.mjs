// Memory of the verified-token cache: distinct token strings and principals pushed through
// VerifiedTokenCache (the structure the guard fills), with resident memory sampled as it grows
// and after it reaches its entry limit. Run in a child process with --expose-gc.

import { randomBytes, randomUUID } from 'node:crypto';
import { createPrincipal, VerifiedTokenCache } from '@cognito-guard/core/advanced';

const total = Number(process.argv[2] ?? 200_000);
const maxEntries = Number(process.argv[3] ?? 10_000);
const now = Math.floor(Date.now() / 1000);
// The cache's typed array (the doorkeeper's table) lives outside the heap: it is added to every
// heap figure. All array buffers are not, since this loop's own Buffers come and go in them.
const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
const cache = new VerifiedTokenCache({ maxEntries, maxAgeSeconds: 3600, graceSeconds: 0 });
const tableBytes = process.memoryUsage().arrayBuffers - arrayBuffersBefore;
const measure = () => {
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed: heapUsed + tableBytes };
};
const base = measure();
base.heapUsed -= tableBytes;
const samples = [];
for (let i = 0; i < total; i++) {
  // A Cognito access token of ~1 KB with its claims as Cognito issues them, held as the guard
  // holds them: the token one flat string (as Node's HTTP parser hands over a header), the claims
  // parsed from its payload (the verifier's own object). Built any other way (template strings,
  // randomUUID's concatenations) they would be V8 cons-strings and measure the benchmark's own
  // string building, not the cache: that inflated an earlier figure from 2.7 to 3.9 KB.
  const payload = Buffer.from(
    JSON.stringify({
      sub: randomUUID(),
      'cognito:groups': ['movies-group'],
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      client_id: '1example23456789',
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      exp: now + 3600,
      iat: now,
      jti: randomUUID(),
      username: `user${i}`,
    }),
  ).toString('base64url');
  const token = Buffer.from(
    `${randomBytes(64).toString('base64url')}.${payload}.${randomBytes(256).toString('base64url')}`,
  ).toString('latin1');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const principal = createPrincipal({
    claims,
    userPoolId: 'eu-west-1_abc',
    issuer: claims.iss,
    token,
    ownClaims: true,
  });
  // Twice, as a token the guard verifies twice: the cache admits a token on its second sighting.
  cache.set(token, principal);
  cache.set(token, principal);
  if ((i + 1) % (total / 20) === 0) {
    const now = measure();
    samples.push({
      tokens: i + 1,
      entries: cache.size,
      rssMb: (now.rss - base.rss) / 1048576,
      heapMb: (now.heapUsed - base.heapUsed) / 1048576,
    });
  }
}
const full = samples.find((s) => s.entries >= maxEntries) ?? samples[samples.length - 1];
// Live heap once the cache is full, as the median of every sample from then on.
const atLimit = samples.filter((s) => s.entries >= maxEntries).map((s) => s.heapMb / s.entries);
const perEntryMb = atLimit.length
  ? atLimit.sort((a, b) => a - b)[Math.floor(atLimit.length / 2)]
  : full.heapMb / full.entries;
const last = samples[samples.length - 1];
process.send({
  total,
  maxEntries,
  entries: cache.size,
  // Live heap per entry is the cache's own cost; resident memory adds the allocator's headroom.
  mbPer10kEntries: perEntryMb * 10_000,
  rssPer10kEntriesMb: (full.rssMb / full.entries) * 10_000,
  rssAtLimitMb: full.rssMb,
  rssAtEndMb: last.rssMb,
  growthAfterLimitMb: last.rssMb - full.rssMb,
  samples,
});
