// HTTP/1.1 servers must accept a request target in absolute form (`GET http://host/admin`), and
// Node hands it on as `req.url`; Express, Koa and Fastify then serve `/admin`. originForm reads
// such a target as the path they serve, and leaves any target whose authority a parser could end
// at another place unchanged, for the path checks to refuse with 400. Node's url.parse is what
// Express and Koa read a URL with (through parseurl), so it is the reference here.

import { parse } from 'node:url';
import type { TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createGuard } from '../src';
import { originForm } from '../src/subpaths/advanced';
import { startIssuer } from './helpers';

const pathArb = fc
  .array(fc.constantFrom('admin', 'api', 'a;b', '%2F', 'x'), { maxLength: 3 })
  .map((segments) => `/${segments.join('/')}`);
const queryArb = fc.constantFrom('', '?x=1', '?a=/admin', '#f');
// Authorities from characters that end a host early in url.parse, or that find-my-way skips.
const authorityArb = fc
  .array(
    fc.constantFrom(
      'x',
      'example',
      '.',
      '-',
      '_',
      ':',
      '8',
      '@',
      '?',
      '#',
      ';',
      '%',
      '!',
      '~',
      '[',
      ']',
      '\\',
      '=',
    ),
    {
      maxLength: 8,
    },
  )
  .map((chars) => chars.join(''));
const schemeArb = fc.constantFrom('http', 'https', 'HTTP', 'ws');

// What Express and Koa route: url.parse's path (pathname and search) of the target.
const expressReading = (target: string) => {
  const url = parse(target);
  return `${url.pathname ?? ''}${url.search ?? ''}`;
};
// What find-my-way 8 (Fastify 4) routes: everything up to the first `/` after `://` dropped.
const fastify4Reading = (target: string) => target.replace(/^https?:\/\/.*?\//, '/');

describe('originForm', () => {
  it('answers examples a reader can check', () => {
    expect(originForm('/admin?x=1')).toBe('/admin?x=1');
    expect(originForm('http://example.com/admin')).toBe('/admin');
    expect(originForm('https://user@example.com:8443/a/b?c=/d')).toBe('/a/b?c=/d');
    expect(originForm('http://[::1]:3000/admin')).toBe('/admin');
    expect(originForm('http://example.com')).toBe('/');
    // An authority parsers end at different places is left for the path checks to refuse.
    expect(originForm('http://x?y=/admin')).toBe('http://x?y=/admin');
    expect(originForm('http://x;y/admin')).toBe('http://x;y/admin');
    expect(originForm('http://x:port/admin')).toBe('http://x:port/admin');
    expect(originForm(`http://${'a'.repeat(64)}/admin`)).toBe(`http://${'a'.repeat(64)}/admin`);
    // Fastify 4 reads these as `/TTP://…` and `/s://…`, Express and Koa as `/admin`.
    expect(originForm('HTTP://example.com/admin')).toBe('HTTP://example.com/admin');
    expect(originForm('ws://example.com/admin')).toBe('ws://example.com/admin');
    expect(originForm('*')).toBe('*');
    expect(originForm('admin')).toBe('admin');
    // The scheme must open the target: one further in is no absolute form.
    expect(originForm('xxhttp://a/admin')).toBe('xxhttp://a/admin');
    expect(originForm('x/http://a/admin')).toBe('x/http://a/admin');
  });

  it('reads a path exactly as url.parse (Express, Koa) and find-my-way (Fastify) do, or not at all', () => {
    fc.assert(
      fc.property(schemeArb, authorityArb, pathArb, queryArb, (scheme, authority, path, query) => {
        const target = `${scheme}://${authority}${path}${query}`;
        const read = originForm(target);
        if (!read.startsWith('/')) return;
        // A fragment never reaches a server in a request target; routers drop it.
        const withoutFragment = (url: string) => url.split('#')[0];
        expect(withoutFragment(read)).toBe(withoutFragment(expressReading(target)));
        expect(withoutFragment(fastify4Reading(target))).toBe(withoutFragment(read));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every plain authority', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
        pathArb,
        (labels, port, path) => {
          const target = `http://${labels.join('.')}${port === undefined ? '' : `:${port}`}${path}`;
          expect(originForm(target)).toBe(path);
        },
      ),
    );
  });
});

describe('a route policy reads an absolute-form target as the path it names', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  it('applies the path’s rule under a base path and refuses an ambiguous authority', async () => {
    const guard = createGuard(issuer.config);
    // Under `defaultAction: 'allow'`, a target read as outside the base path would pass.
    const compiled = guard.compilePolicy({
      basePath: '/api',
      defaultAction: 'allow',
      routes: { 'GET /admin': { groups: ['admins'] } },
    });
    const anonymous = (path: string, routedUrl?: string, mountPath?: string) =>
      guard.checkRoute({ method: 'GET', path, headers: {}, routedUrl }, compiled, { mountPath });
    expect(await anonymous('http://example.com/api/admin')).toMatchObject({
      status: 401,
      route: 'GET /admin',
    });
    // Express below `app.use('/api', …)` keeps the scheme and host in `req.url`.
    expect(
      await anonymous('http://example.com/api/admin', 'http://example.com/admin', '/api'),
    ).toMatchObject({
      status: 401,
      route: 'GET /admin',
    });
    for (const target of ['http://x?y=/api/admin', 'api/admin', '*']) {
      expect(await anonymous(target)).toMatchObject({ status: 400, reason: 'non_canonical_path' });
    }
  });
});
