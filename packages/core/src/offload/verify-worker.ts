// One worker thread of `verifyInWorkers`: aws-jwt-verify's verifier with the pools' own checks,
// as the main thread builds it, on keys the main thread fetched. It never fetches keys itself:
// a token whose key it lacks goes back to the main thread, whose fetches are rate-limited and
// whose answers reach every worker.

import { parentPort, workerData } from 'node:worker_threads';
import { JwksNotAvailableInCacheError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import { type Jwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import { createSignatureVerifier } from '../token/aws-jwt-verify-seam';
import { issuerSettingsOf, verifiedAlgorithmOf } from '../token/cognito-check';
import { toAuthError } from '../token/map-error';
import {
  DECIDE_HERE,
  type FromWorker,
  LATE,
  REFUSED,
  refusalOf,
  type ToWorker,
  VERIFIED,
  type WorkerSettings,
} from './verify-protocol';

const settings = workerData as WorkerSettings;
const port = parentPort as NonNullable<typeof parentPort>;
const keys = new SimpleJwksCache({
  fetcher: { fetch: () => Promise.reject(new Error('a verifying worker never fetches keys')) },
});
// Parsed as the main thread's key cache parses them, with aws-jwt-verify's own parser.
for (const [uri, jwks] of settings.keys) keys.addJwks(uri, safeJsonParse(jwks) as Jwks);
const verifier = createSignatureVerifier(
  settings.pools.flatMap(issuerSettingsOf(settings)),
  keys,
  settings.realm,
);

port.on('message', (message: ToWorker) => {
  if (!Array.isArray(message)) {
    const { uri, jwks } = message as { uri: string; jwks: string };
    keys.addJwks(uri, safeJsonParse(jwks) as Jwks);
    return;
  }
  const [id, token, deadline] = message;
  // A worker behind on its tokens skips those already answered 503, rather than fall further back.
  port.postMessage(Date.now() > deadline ? [id, LATE] : verdictOn(id, token));
});
port.postMessage('ready' satisfies FromWorker);

function verdictOn(id: number, token: string): FromWorker {
  try {
    const payload = verifier.verifySync(token);
    return [id, VERIFIED, payload, verifiedAlgorithmOf(payload) as string];
  } catch (err) {
    if (err instanceof KidNotFoundInJwksError || err instanceof JwksNotAvailableInCacheError) {
      return [id, DECIDE_HERE];
    }
    const refusal = refusalOf(toAuthError(err, settings.realm));
    return refusal === undefined ? [id, DECIDE_HERE] : [id, REFUSED, refusal];
  }
}
