// The guard's `Vary` fields must reach the client however the application sets `Vary` after the
// guard: outright, removed, or among headers passed to `writeHead` in any of its forms. Each case
// is answered twice by a real Node server, once as the application alone would answer it and once
// behind the guard's marks, and the two `Vary`s sent are compared: the guarded one names exactly
// the application's fields and the guard's.

import { once } from 'node:events';
import { createServer, get, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { keepVaryOnWriteHead, varyWith } from '../src/subpaths/adapter';

/** What the application does to `Vary` before its answer's headers are written. */
type Before = { readonly set: string | string[] } | 'remove' | 'nothing';
/**
 * How it writes them: `end()` alone, or `writeHead` with headers in one of Node's forms: an object
 * or a flat list of names and values, after the status or after a reason phrase (or `undefined`
 * in its place); `null` headers are Node's too.
 */
type Write =
  | { readonly form: 'end' }
  | { readonly form: 'status'; readonly headers: Headers | null }
  | { readonly form: 'reason'; readonly reason: string | undefined; readonly headers: Headers };
type Headers = Record<string, string | string[]> | string[];
interface Case {
  readonly fields: string;
  readonly before: Before;
  readonly write: Write;
}

let server: Server;
let current: Case;
beforeAll(async () => {
  server = createServer((req, res) => answer(res, current, req.url === '/guarded'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function answer(res: ServerResponse, { fields, before, write }: Case, guarded: boolean): void {
  // Both answers hold headers of their own before writeHead, so Node merges alike in both.
  res.setHeader('X-Probe', '1');
  if (guarded) {
    res.setHeader('Vary', varyWith(res.getHeader('Vary'), fields));
    keepVaryOnWriteHead(res, fields);
  }
  if (before === 'remove') res.removeHeader('Vary');
  else if (before !== 'nothing') res.setHeader('Vary', before.set);
  try {
    if (write.form === 'status') res.writeHead(200, write.headers as Headers);
    else if (write.form === 'reason') res.writeHead(200, write.reason as string, write.headers);
  } catch (err) {
    // Node 22 and later refuse what Node 20 skipped (a `null` name in a flat list): the guarded
    // answer must be refused alike, and the refusal is sent as a header both answers compare.
    res.statusCode = 500;
    res.setHeader('X-Refused', (err as { code?: string }).code ?? String(err));
  }
  res.end('ok');
}

interface Sent {
  /** The fields of every `Vary` line the client received, in lower case. */
  readonly vary: Set<string>;
  /** Every other header line but the ones Node writes itself. */
  readonly others: string[];
}

const NODE_OWN = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

async function sent(path: string, answered: Case): Promise<Sent> {
  current = answered;
  const { port } = server.address() as AddressInfo;
  const [res] = (await once(get(`http://127.0.0.1:${port}${path}`), 'response')) as [
    import('node:http').IncomingMessage,
  ];
  res.resume();
  await once(res, 'end');
  const lines: string[] = [];
  const others: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]?.toLowerCase() ?? '';
    const value = res.rawHeaders[i + 1] ?? '';
    if (name === 'vary') lines.push(value);
    else if (!NODE_OWN.has(name)) others.push(`${name}: ${value}`);
  }
  const vary = lines
    .join(',')
    .split(',')
    .map((field) => field.trim().toLowerCase())
    .filter((field) => field !== '');
  return { vary: new Set(vary), others };
}

// The guarded answer's Vary names exactly the application's fields and the guard's, and every
// other header is the one the application alone sends.
async function expectBothNamed(answered: Case): Promise<void> {
  const own = await sent('/alone', answered);
  const guarded = await sent('/guarded', answered);
  const fields = answered.fields.split(', ').map((field) => field.toLowerCase());
  const named = [...guarded.vary].sort();
  if (own.vary.has('*')) {
    // A `*` already matches no later request: the application's fields stand as they are. Each
    // Vary line of a flat list gets the fields unless it holds the `*` itself (Node 20 sends only
    // the last line, later versions every line), so they may stand beside it.
    expect(named).toEqual(expect.arrayContaining([...own.vary]));
    expect(named.filter((field) => !own.vary.has(field) && !fields.includes(field))).toEqual([]);
  } else {
    expect(named).toEqual([...new Set([...own.vary, ...fields])].sort());
  }
  expect(guarded.others).toEqual(own.others);
}

const END: Write = { form: 'end' };

describe('the guard keeps its Vary fields on the answer', () => {
  it.each<[string, Case]>([
    ['end() alone', { fields: 'Authorization', before: 'nothing', write: END }],
    ['Vary set outright', { fields: 'Authorization', before: { set: 'Origin' }, write: END }],
    ['Vary removed', { fields: 'Authorization, Cookie', before: 'remove', write: END }],
    [
      'writeHead with an object',
      {
        fields: 'Authorization',
        before: 'nothing',
        write: { form: 'status', headers: { Vary: 'Origin', Link: '</a>' } },
      },
    ],
    [
      'writeHead with a reason and a flat list',
      {
        fields: 'Cookie',
        before: 'nothing',
        write: { form: 'reason', reason: 'Fine', headers: ['X-Other', 'Vary', 'vary', 'Origin'] },
      },
    ],
    [
      'writeHead with undefined for a reason',
      {
        fields: 'Cookie',
        before: 'nothing',
        write: { form: 'reason', reason: undefined, headers: { vary: 'Origin' } },
      },
    ],
    [
      'writeHead with null headers',
      { fields: 'Cookie', before: { set: 'Origin' }, write: { form: 'status', headers: null } },
    ],
    [
      'writeHead with several casings of Vary',
      {
        fields: 'Authorization',
        before: { set: 'Accept' },
        write: { form: 'status', headers: { vary: 'Origin', VARY: ['Accept-Language', 'Origin'] } },
      },
    ],
  ])('%s', async (_name, answered) => {
    await expectBothNamed(answered);
  });

  it('leaves a Vary of * alone', async () => {
    const answered: Case = { fields: 'Authorization', before: { set: '*' }, write: END };
    expect([...(await sent('/guarded', answered)).vary]).toEqual(['*']);
  });

  it('names the fields whatever the application does, as Node itself would send its own', async () => {
    // Values include a field named Vary, names another four-letter one.
    const field = fc.constantFrom('Origin', 'Accept-Encoding', 'authorization', 'COOKIE', '*', '');
    const value = fc.oneof(field, fc.constant('Vary'));
    const name = fc.constantFrom('Vary', 'vary', 'VARY', 'X-Other', 'Link');
    const pair = fc.tuple(name, fc.oneof(value, fc.array(field, { minLength: 1, maxLength: 3 })));
    // Node 20 skips a list entry with an empty name (`null`); later versions refuse it.
    const flatPair = fc.tuple(fc.oneof(name, fc.constant(null)), value);
    const headers: fc.Arbitrary<Headers> = fc.oneof(
      fc.array(pair, { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs)),
      fc.array(flatPair, { maxLength: 3 }).map((pairs) => pairs.flat() as string[]),
    );
    const answered = fc.record({
      fields: fc
        .subarray(['Authorization', 'Cookie', 'X-Amzn-Oidc-Data'], { minLength: 1 })
        .map((fields) => fields.join(', ')),
      before: fc.oneof(
        fc.constantFrom<Before>('remove', 'nothing'),
        fc.oneof(field, fc.array(field, { minLength: 1, maxLength: 3 })).map((set) => ({ set })),
      ),
      write: fc.oneof(
        fc.constant(END),
        fc
          .oneof(headers, fc.constant(null))
          .map((given): Write => ({ form: 'status', headers: given })),
        fc
          .tuple(fc.constantFrom('OK', undefined), headers)
          .map(([reason, given]): Write => ({ form: 'reason', reason, headers: given })),
      ),
    });
    await fc.assert(fc.asyncProperty(answered, expectBothNamed), { numRuns: 200 });
  });
});
