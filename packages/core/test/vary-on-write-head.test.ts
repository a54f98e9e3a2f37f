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
/** How it writes them: `end()` alone, or `writeHead` with headers in one of Node's forms. */
interface Write {
  readonly reason?: string;
  readonly headers?: Record<string, string | string[]> | string[];
}
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
  if (write.reason !== undefined) res.writeHead(200, write.reason, write.headers);
  else if (write.headers !== undefined) res.writeHead(200, write.headers);
  res.end('ok');
}

/** The fields of every `Vary` line the client received, in lower case. */
async function sentVary(path: string, sent: Case): Promise<Set<string>> {
  current = sent;
  const { port } = server.address() as AddressInfo;
  const [res] = (await once(get(`http://127.0.0.1:${port}${path}`), 'response')) as [
    import('node:http').IncomingMessage,
  ];
  res.resume();
  await once(res, 'end');
  const lines: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2)
    if (res.rawHeaders[i]?.toLowerCase() === 'vary') lines.push(res.rawHeaders[i + 1] ?? '');
  return new Set(
    lines
      .join(',')
      .split(',')
      .map((field) => field.trim().toLowerCase())
      .filter((field) => field !== ''),
  );
}

async function expectBothNamed(sent: Case): Promise<void> {
  const own = await sentVary('/alone', sent);
  const guarded = await sentVary('/guarded', sent);
  // A `*` already matches no later request: the application's fields stand as they are.
  const expected = own.has('*')
    ? [...own]
    : [...own, ...sent.fields.split(', ').map((field) => field.toLowerCase())];
  expect([...guarded].sort()).toEqual([...new Set(expected)].sort());
}

describe('the guard keeps its Vary fields on the answer', () => {
  it.each<[string, Case]>([
    ['end() alone', { fields: 'Authorization', before: 'nothing', write: {} }],
    ['Vary set outright', { fields: 'Authorization', before: { set: 'Origin' }, write: {} }],
    ['Vary removed', { fields: 'Authorization, Cookie', before: 'remove', write: {} }],
    [
      'writeHead with an object',
      { fields: 'Authorization', before: 'nothing', write: { headers: { Vary: 'Origin' } } },
    ],
    [
      'writeHead with a reason and a flat list',
      {
        fields: 'Cookie',
        before: 'nothing',
        write: { reason: 'Fine', headers: ['vary', 'Origin', 'X-Other', 'a'] },
      },
    ],
    [
      'writeHead with several casings of Vary',
      {
        fields: 'Authorization',
        before: { set: 'Accept' },
        write: { headers: { vary: 'Origin', VARY: ['Accept-Language', 'Origin'] } },
      },
    ],
  ])('%s', async (_name, sent) => {
    await expectBothNamed(sent);
  });

  it('leaves a Vary of * alone', async () => {
    const sent: Case = { fields: 'Authorization', before: { set: '*' }, write: {} };
    expect([...(await sentVary('/guarded', sent))]).toEqual(['*']);
  });

  it('names the fields whatever the application does, as Node itself would send its own', async () => {
    const field = fc.constantFrom('Origin', 'Accept-Encoding', 'authorization', 'COOKIE', '*', '');
    const value = fc.oneof(field, fc.array(field, { minLength: 1, maxLength: 3 }));
    const varyName = fc.constantFrom('Vary', 'vary', 'VARY');
    const pair = fc.tuple(fc.oneof(varyName, fc.constant('X-Other')), field);
    const headers = fc.oneof(
      fc
        .array(pair, { maxLength: 3 })
        .map((pairs) => Object.fromEntries(pairs) as Record<string, string>),
      fc.array(pair, { maxLength: 3 }).map((pairs) => pairs.flat()),
    );
    const sent = fc.record({
      fields: fc
        .subarray(['Authorization', 'Cookie', 'X-Amzn-Oidc-Data'], { minLength: 1 })
        .map((fields) => fields.join(', ')),
      before: fc.oneof(
        fc.constantFrom<Before>('remove', 'nothing'),
        value.map((set) => ({ set })),
      ),
      write: fc.oneof(
        fc.constant({}),
        headers.map((given) => ({ headers: given })),
        headers.map((given) => ({ reason: 'OK', headers: given })),
      ),
    });
    await fc.assert(fc.asyncProperty(sent, expectBothNamed), { numRuns: 150 });
  });
});
