// The revocation list against a model that says what it must answer, written the plain way (every
// accepted entry kept in an array, and a lookup scans the live ones): for any sequence of entries
// added as time goes on, the list denies exactly what a live entry revokes, lists what is in
// force, and sweeps only what has expired, on its own schedule (once a minute) or when asked.

import fc from 'fast-check';
import {
  type RevocationEntry,
  type RevocationKind,
  RevocationList,
} from '../src/subpaths/revocation';

const SWEEP_INTERVAL_MS = 60_000;
/**
 * Sign-out entries last this long after their cut-off, as `entryForSignOut` writes them: a later
 * cut-off always ends later, which is what lets the list keep one merged entry per user.
 */
const LIFETIME_MS = 50_000;
const ids = ['a', 'b', 'c'] as const;

type Step =
  | { readonly op: 'add'; readonly advance: number; readonly entry: RevocationEntry }
  | { readonly op: 'tick'; readonly advance: number }
  | { readonly op: 'sweep'; readonly advance: number };

// Steps forward in time, often by exactly a boundary: an entry's end, the sweep interval.
const advance = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, 1, LIFETIME_MS, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS - 1),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 120_000 }) },
);
const offset = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(-1, 0, 1) },
  { weight: 1, arbitrary: fc.integer({ min: -80_000, max: 80_000 }) },
);
// An entry's times relative to the step that adds it.
const relativeEntry: fc.Arbitrary<RevocationEntry> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('origin' as const, 'jti' as const),
    id: fc.constantFrom(...ids),
    until: offset,
  }),
  offset.map((delta) => ({ kind: 'sub' as const, id: 'a', at: delta, until: delta + LIFETIME_MS })),
);
// auth_time and iat as a signed token carries them, as API Gateway passes them (strings), and
// unreadable. A time is drawn as an offset in seconds from the clock when it is read, so that it
// lands on a sign-out's cut-off as often as beside it.
type Epoch = { readonly secondsFromNow: number; readonly asString: boolean } | string | number;
const epoch: fc.Arbitrary<Epoch | undefined> = fc.oneof(
  fc.record({ secondsFromNow: fc.integer({ min: -90, max: 2 }), asString: fc.boolean() }),
  fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, 'soon', '12x', 'x12', '1.5'),
  fc.constantFrom('', '1234567890123', 0, '0'),
);
interface Probe {
  readonly origin_jti?: unknown;
  readonly jti?: unknown;
  readonly sub?: unknown;
  readonly auth_time?: Epoch | undefined;
  readonly iat?: Epoch | undefined;
}
const probe: fc.Arbitrary<Probe> = fc.record(
  {
    origin_jti: fc.constantFrom(...ids, 7, undefined),
    jti: fc.constantFrom(...ids, 7, undefined),
    sub: fc.constantFrom('a', 'b', 7, undefined),
    auth_time: epoch,
    iat: epoch,
  },
  { requiredKeys: [] },
);
const probes = fc.array(probe, { minLength: 4, maxLength: 10 });
const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('add' as const), advance, entry: relativeEntry }),
    fc.record({ op: fc.constant('tick' as const), advance }),
    fc.record({ op: fc.constant('sweep' as const), advance }),
  ),
  { maxLength: 40 },
);

/** The claims a probe stands for at `now`. */
function claimsAt({ auth_time, iat, ...ids }: Probe, now: number): Record<string, unknown> {
  const read = (time: Epoch | undefined) => {
    if (typeof time !== 'object') return time;
    const seconds = Math.floor(now / 1000) + time.secondsFromNow;
    return time.asString ? String(seconds) : seconds;
  };
  const claims: Record<string, unknown> = { ...ids };
  if (auth_time !== undefined) claims.auth_time = read(auth_time);
  if (iat !== undefined) claims.iat = read(iat);
  return claims;
}

/** What the list must answer, from every entry ever accepted. */
class Model {
  private readonly accepted: RevocationEntry[] = [];
  /** The ids the list still holds a record for: added, and not swept since they expired. */
  private readonly held = new Map<string, number>();
  private sweptAt = 0;

  add(entry: RevocationEntry, now: number): void {
    if (now - this.sweptAt >= SWEEP_INTERVAL_MS) this.sweep(now);
    if (entry.until <= now) return;
    this.accepted.push(entry);
    const key = `${entry.kind}:${entry.id}`;
    this.held.set(key, Math.max(entry.until, this.held.get(key) ?? -Infinity));
  }

  find(claims: Record<string, unknown>, now: number): RevocationKind | undefined {
    const live = this.accepted.filter((entry) => entry.until > now);
    if (live.some((entry) => entry.kind === 'origin' && entry.id === claims.origin_jti)) {
      return 'origin';
    }
    if (live.some((entry) => entry.kind === 'jti' && entry.id === claims.jti)) return 'jti';
    const signOuts = live.filter((entry) => entry.kind === 'sub' && entry.id === claims.sub);
    if (signOuts.length === 0) return undefined;
    const authTime = seconds(claims.auth_time) ?? seconds(claims.iat);
    if (authTime === undefined) return 'sub';
    return signOuts.some((entry) => entry.kind === 'sub' && authTime * 1000 <= entry.at)
      ? 'sub'
      : undefined;
  }

  /** In force: per id, the latest end (and for a sign-out, the latest cut-off). */
  entries(now: number): RevocationEntry[] {
    const byId = new Map<string, RevocationEntry>();
    for (const entry of this.accepted) {
      const key = `${entry.kind}:${entry.id}`;
      const known = byId.get(key);
      const until = Math.max(entry.until, known?.until ?? -Infinity);
      byId.set(
        key,
        entry.kind === 'sub'
          ? {
              ...entry,
              until,
              at: Math.max(entry.at, known?.kind === 'sub' ? known.at : -Infinity),
            }
          : { ...entry, until },
      );
    }
    return [...byId.values()].filter((entry) => entry.until > now);
  }

  get size(): number {
    return this.held.size;
  }

  sweep(now: number): number {
    this.sweptAt = now;
    let swept = 0;
    for (const [key, until] of this.held) {
      if (until <= now) {
        this.held.delete(key);
        swept += 1;
      }
    }
    return swept;
  }
}

function seconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length <= 12 && [...value].every(isDigit) && value) {
    return Number.parseInt(value, 10);
  }
  return undefined;
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

const byKindAndId = (a: RevocationEntry, b: RevocationEntry) =>
  `${a.kind}:${a.id}`.localeCompare(`${b.kind}:${b.id}`);

describe('RevocationList against its model', () => {
  it('denies, lists, counts and sweeps as the model says, at every step', () => {
    fc.assert(
      fc.property(steps, probes, (script, lookups) => {
        const list = new RevocationList();
        const model = new Model();
        let now = 0;
        for (const step of script) {
          now += step.advance;
          if (step.op === 'add') {
            const { entry } = step;
            const placed =
              entry.kind === 'sub'
                ? { ...entry, at: entry.at + now, until: entry.until + now }
                : { ...entry, until: entry.until + now };
            list.add(placed, now);
            model.add(placed, now);
          } else if (step.op === 'sweep') {
            expect(list.sweep(now)).toBe(model.sweep(now));
          }
          for (const lookup of lookups) {
            const claims = claimsAt(lookup, now);
            expect(list.find(claims, now)).toBe(model.find(claims, now));
          }
          expect(list.size).toBe(model.size);
          expect([...list.entries(now)].sort(byKindAndId)).toEqual(
            model.entries(now).sort(byKindAndId),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
