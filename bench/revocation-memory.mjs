// Heap per entry of the revocation mirror (RevocationList), with ids shaped as Cognito's (UUIDs):
// one third sessions, one third single tokens, one third sign-outs. Run with --expose-gc.

import { randomUUID } from 'node:crypto';
import { RevocationList } from '@cognito-guard/core/revocation';

const total = Number(process.argv[2] ?? 200_000);
const heap = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed;
};
const ids = Array.from({ length: total }, () => randomUUID());
const before = heap();
const list = new RevocationList();
const until = Date.now() + 3_600_000;
ids.forEach((id, i) => {
  const kind = ['origin', 'jti', 'sub'][i % 3];
  list.add(kind === 'sub' ? { kind, id, at: Date.now(), until } : { kind, id, until });
});
const after = heap();
// The ids were allocated before the baseline, as they arrive as strings from Redis; count their
// size too: a UUID string is 36 one-byte characters plus V8's string header.
const idBytes = 36 + 16;
const bytesPerEntry = (after - before) / total + idBytes;
process.send({ entriesMeasured: list.size, bytesPerEntry });
