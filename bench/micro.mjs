// In-process micro-benchmarks of the core, each against a baseline measured in the same run,
// in alternating rounds: verification miss and hit paths against raw crypto.verify, and route
// matching with a 200-route policy.

import { createPublicKey, verify } from 'node:crypto';
import { compileRoutePolicy, createGuard, requireGroups } from '@cognito-guard/core';
import { splitRequestPath } from '@cognito-guard/core/advanced';
import { openTelemetry } from '@cognito-guard/core/otel';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { median } from './stats.mjs';

function opsPerSecond(fn, ms) {
  for (let i = 0; i < 200; i++) fn(i); // warm-up
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) fn(ops + i);
    ops += 50;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

// Alternates A, B, C… for `rounds` rounds and reports each one's median ops/s.
function compare(contenders, { rounds, ms }) {
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) samples[name].push(opsPerSecond(fn, ms));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]));
}

/** Runs the micro-benchmarks against a started issuer. */
export async function microBenchmarks(issuer, { quick }) {
  const rounds = quick ? 3 : 7;
  const ms = quick ? 150 : 600;
  const token = issuer.accessToken({ username: 'alice', groups: ['movies-group'] });
  const [h, p, s] = token.split('.');
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const jwk = issuer.jwks.keys[0];
  const key = createPublicKey({ key: jwk, format: 'jwk' });

  const missGuard = createGuard({ ...issuer.config, cache: false });
  const hitGuard = createGuard(issuer.config);
  // No OpenTelemetry SDK is registered in this process: the API's no-op tracer and meter answer.
  const quietGuard = createGuard({ ...issuer.config, telemetry: openTelemetry() });
  await Promise.all([missGuard.ready(), hitGuard.ready(), quietGuard.ready()]);
  const request = { method: 'GET', path: '/movies', headers: { authorization: `Bearer ${token}` } };
  const rule = requireGroups('movies-group');
  await hitGuard.verifier.verify(token);
  const check = (result) => {
    if (result instanceof Promise) throw new Error('expected the synchronous path');
    return result;
  };

  // The same checks done with aws-jwt-verify alone, for reference: what the library we build on costs.
  const reference = JwtVerifier.create({
    issuer: issuer.issuer,
    audience: null,
    jwksUri: issuer.jwksUri,
    customJwtCheck: ({ payload }) =>
      validateCognitoJwtFields(payload, {
        tokenUse: 'access',
        clientId: issuer.clientId,
        groups: null,
      }),
  });
  reference.cacheJwks(issuer.jwks);

  const verification = compare(
    {
      'raw crypto.verify': () => verify('RSA-SHA256', signingInput, key, signature),
      'aws-jwt-verify verifySync (reference)': () => reference.verifySync(token),
      'core miss (verify, no cache)': () => check(missGuard.verifier.verify(token)),
      'core hit (cached)': () => check(hitGuard.verifier.verify(token)),
    },
    { rounds, ms },
  );
  // 200 routes: 50 resources × (literal, {id}, {id}/sub, greedy), plus a $default.
  const routesFor = (group) => {
    const routes = {};
    for (let i = 0; i < 50; i++) {
      routes[`GET /r${i}`] = { groups: [group(i)] };
      routes[`GET /r${i}/{id}`] = { groups: [group(i)] };
      routes[`POST /r${i}/{id}/items`] = { allGroups: [group(i), 'writers'] };
      routes[`ANY /r${i}/admin/{proxy+}`] = { groups: ['admins'] };
    }
    return routes;
  };
  const compiled = compileRoutePolicy({
    routes: { ...routesFor((i) => `g${i}`), $default: { public: true } },
  });
  // The same shape, every plain route the caller's to use: the guard's whole route step.
  const callerPolicy = hitGuard.compilePolicy({ routes: routesFor(() => 'movies-group') });
  const routeRequests = Array.from({ length: 64 }, (_, i) => ({
    ...request,
    path: i % 2 ? `/r${i % 50}` : `/r${i % 50}/${i}`,
  }));

  const decisions = compare(
    {
      'decision, cached token': () => check(hitGuard.decide(request, rule)),
      'decision, cached token, openTelemetry() without an SDK': () =>
        check(quietGuard.decide(request, rule)),
      'decision, cached token, route policy (200 routes)': (i) => {
        const decision = check(hitGuard.decideRoute(routeRequests[i & 63], callerPolicy));
        if (!decision.allowed) throw new Error(`expected an allow, got ${decision.reason}`);
        return decision;
      },
    },
    { rounds, ms },
  );

  const paths = Array.from({ length: 64 }, (_, i) => [
    i % 2 ? 'GET' : 'POST',
    i % 4 === 0
      ? `/r${i % 50}`
      : i % 4 === 1
        ? `/r${i % 50}/${i}`
        : i % 4 === 2
          ? `/r${i % 50}/${i}/items`
          : `/r${i % 50}/admin/a/b`,
  ]);
  const routing = compare(
    {
      'route match (200 routes)': (i) => {
        const [method, path] = paths[i & 63];
        const split = splitRequestPath(path, false);
        return compiled.match(method, split.segments);
      },
      // What the guard runs: every reading of the path (policies with greedy routes read more).
      'route readings (200 routes)': (i) => {
        const [method, path] = paths[i & 63];
        const split = splitRequestPath(path, false);
        return compiled.readings(method, split);
      },
    },
    { rounds, ms },
  );
  return { ...verification, ...decisions, ...routing };
}
