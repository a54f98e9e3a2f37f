// A method override (method-override, koa-override, Hono's methodOverride) makes the router
// serve a `POST` as the method a header, the `_method` query parameter or a form field names.
// otherMethods finds those methods, and a route policy decides as strictly as the strictest of
// them: the request passes only if every method it names would pass on its own.

import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { TestIssuer } from '@cognito-guard/testing';
import fc from 'fast-check';
import { createGuard, type RequestLike, type RoutePolicy } from '../src';
import { bodyReadings, overrideFieldValues, rawBodyMethods } from '../src/subpaths/adapter';
import { otherMethods } from '../src/subpaths/advanced';
import { startIssuer } from './helpers';

const post = (extra: Partial<RequestLike>): RequestLike => ({
  method: 'POST',
  path: '/items',
  headers: {},
  ...extra,
});

describe('overrideFieldValues', () => {
  it('keeps the values of `_method` and its list syntax, in order, and nothing else', () => {
    const fields = new URLSearchParams('a=1&_method=PUT&_method[]=x&_methods=y&_method%5B0%5D=z');
    expect(overrideFieldValues(fields)).toEqual(['PUT', 'x', 'z']);
    expect(overrideFieldValues(new URLSearchParams('x=1'))).toEqual([]);
  });
});

describe('otherMethods', () => {
  it('reads every override header, the `_method` query parameter and a body field', () => {
    expect(otherMethods(post({ headers: { 'x-http-method-override': 'delete' } }))).toEqual([
      'DELETE',
    ]);
    expect(otherMethods(post({ headers: { 'x-http-method': 'PUT' } }))).toEqual(['PUT']);
    expect(otherMethods(post({ headers: { 'x-method-override': 'PATCH' } }))).toEqual(['PATCH']);
    expect(otherMethods(post({ path: '/items?_method=put&x=1' }))).toEqual(['PUT']);
    expect(otherMethods(post({ path: '/items?%5Fmethod=patch#f' }))).toEqual(['PATCH']);
    // qs's list syntax, which Express 4's default query parser reads as a list.
    expect(otherMethods(post({ path: '/items?_method[]=delete' }))).toEqual(['DELETE']);
    expect(otherMethods(post({ path: '/items?_method%5B0%5D=put' }))).toEqual(['PUT']);
    expect(otherMethods(post({ path: '/?_method=put' }))).toEqual(['PUT']);
    expect(otherMethods(post({ body: { _method: 'delete' } }))).toEqual(['DELETE']);
    expect(otherMethods(post({ body: { _method: ['put', 'patch'] } }))).toEqual(['PUT', 'PATCH']);
    expect(otherMethods(post({ method: 'DELETE', originalMethod: 'POST' }))).toEqual(['POST']);
    // Bytes no parser has read yet, as serverless-http leaves them in `req.body`.
    expect(otherMethods(post({ body: Buffer.from('a=1&_method=delete') }))).toEqual(['DELETE']);
    expect(otherMethods(post({ body: new TextEncoder().encode('{"_method":["put"]}') }))).toEqual([
      'PUT',
    ]);
  });

  it('keeps every value of a repeated header and every source, once each', () => {
    const request = post({
      path: '/items?_method=GET&_method=PUT',
      headers: { 'x-http-method-override': 'DELETE, PUT', 'x-http-method': ['PATCH', 'delete'] },
      body: { _method: 'OPTIONS' },
    });
    expect(otherMethods(request)).toEqual(['DELETE', 'PUT', 'PATCH', 'GET', 'OPTIONS']);
  });

  it('names nothing for the request’s own method, non-method values or inherited fields', () => {
    const inherited = Object.create({ _method: 'DELETE' }) as object;
    for (const request of [
      post({}),
      post({ headers: { 'x-http-method-override': 'post' } }),
      post({ headers: { 'x-http-method-override': 'DELETE /admin' } }),
      post({ headers: { 'x-http-method-override': '' } }),
      post({ path: '/items?method=DELETE' }),
      post({ path: '/items?_methods=DELETE&x_method=PUT&_method]=PATCH' }),
      post({ path: '/items#_method=DELETE' }),
      // No `?`, so no query: a `&` in the path starts no parameter.
      post({ path: '/items&_method=DELETE' }),
      post({ body: inherited }),
      post({ body: { _method: 42 } }),
      post({ body: 'text' }),
      post({ body: null }),
      post({ body: Buffer.from('{"title":"_method"}') }),
      post({ originalMethod: 'post' }),
    ]) {
      // One frozen empty list, whatever was looked at: a request names nothing for free.
      expect(otherMethods(request)).toBe(otherMethods(post({})));
      expect(Object.isFrozen(otherMethods(request))).toBe(true);
      expect(otherMethods(request)).toEqual([]);
    }
  });
});

describe('a route policy decides for every method a request names', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.stop());

  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
  const ruleArb = fc.constantFrom<RoutePolicy['routes'][string]>(
    { public: true },
    {},
    { groups: ['admins'] },
    { groups: ['editors'] },
  );
  const policyArb = fc.record({
    defaultAction: fc.constantFrom<'allow' | 'deny'>('allow', 'deny'),
    routes: fc.dictionary(
      fc.constantFrom(...methods.map((method) => `${method} /items`), 'ANY /items'),
      ruleArb,
    ),
  });
  // Where the override is named: a header, the query, a parsed form, or raw bytes no parser has
  // read (a form, or a multipart body, whose parts are read asynchronously).
  const overrideArb = fc.record({
    where: fc.constantFrom('header', 'query', 'form', 'raw form', 'multipart'),
    named: fc.constantFrom(...methods),
  });
  const withOverride = ({ where, named }: { where: string; named: string }) => {
    const multipart = `--x\r\nContent-Disposition: form-data; name="_method"\r\n\r\n${named}\r\n--x--`;
    if (where === 'header') return { headers: { 'x-http-method-override': named } };
    if (where === 'query') return { path: `/items?_method=${named.toLowerCase()}` };
    if (where === 'form') return { body: { _method: named } };
    if (where === 'raw form') return { body: Buffer.from(`_method=${named}`) };
    const type = 'multipart/form-data; boundary=x';
    return { body: Buffer.from(multipart), headers: { 'content-type': type } };
  };
  const callerArb = fc.option(fc.subarray(['admins', 'editors']), { nil: undefined });

  it('refuses with 400 raw body bytes whose encoding it cannot undo, even on a public route', async () => {
    const guard = createGuard(issuer.config);
    const policy = guard.compilePolicy({ routes: { 'ANY /items': { public: true } } });
    const encoded = (encoding: string, body: Uint8Array) =>
      guard.checkRoute({ ...post({ body }), headers: { 'content-encoding': encoding } }, policy);
    expect(await encoded('compress', Buffer.from('_method=DELETE'))).toMatchObject({
      allowed: false,
      error: { status: 400, reason: 'body_unreadable' },
    });
    expect(await encoded('gzip', gzipSync('_method=DELETE'))).toMatchObject({ allowed: true });
  });

  it('refuses with 400 a multipart body it cannot read, and a body that throws when read', async () => {
    const guard = createGuard(issuer.config);
    const policy = guard.compilePolicy({ routes: { 'ANY /items': { public: true } } });
    const unreadable = {
      allowed: false,
      error: {
        status: 400,
        reason: 'body_unreadable',
        description: 'The request body could not be read',
      },
    };
    // RFC 2231's name*= names a field only some parsers read; the parts are read asynchronously.
    const rfc2231 = `--x\r\nContent-Disposition: form-data; name*=UTF-8''_method\r\n\r\nDELETE\r\n--x--`;
    const multipart = post({
      body: Buffer.from(rfc2231),
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(await guard.checkRoute(multipart, policy)).toMatchObject({
      ...unreadable,
      error: {
        ...unreadable.error,
        description: 'A part of the multipart request body has headers parsers read apart',
      },
    });
    const throwing = Object.defineProperty(post({}), 'body', {
      get() {
        throw new Error('stream already read');
      },
    });
    expect(await guard.checkRoute(throwing, policy)).toMatchObject(unreadable);
  });

  it('allows only when the request’s method and the override each would be allowed', async () => {
    const guard = createGuard(issuer.config);
    const tokens = new Map<string, string>();
    const headersOf = (groups: string[] | undefined) => {
      if (groups === undefined) return {};
      const key = groups.join(',');
      const token = tokens.get(key) ?? issuer.accessToken({ groups });
      tokens.set(key, token);
      return { authorization: `Bearer ${token}` };
    };
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.constantFrom(...methods),
        overrideArb,
        callerArb,
        async (policy, method, override, groups) => {
          const compiled = guard.compilePolicy(policy);
          const headers = headersOf(groups);
          const plain = (as: string) =>
            guard.checkRoute({ method: as, path: '/items', headers }, compiled);
          const { path = '/items', headers: named = {}, body } = withOverride(override);
          const overridden = await guard.checkRoute(
            { method, path, headers: { ...headers, ...named }, body },
            compiled,
          );
          const [own, asNamed] = [await plain(method), await plain(override.named)];
          expect(overridden.allowed).toBe(own.allowed && asNamed.allowed);
          // The denial is one of the two readings' denials, and a 401 wins over a 403.
          if (!overridden.allowed) {
            const statuses = [own, asNamed].filter((d) => !d.allowed).map((d) => d.status);
            expect(overridden.status).toBe(Math.min(...statuses));
          }
          // The route reported is the one the request's own method chose.
          expect(overridden.route).toBe(own.route);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('rawBodyMethods', () => {
  it('reads a raw body as a form and as JSON, in text or bytes, escaped or not', () => {
    expect(rawBodyMethods('_method=PUT&%5Fmethod%5B%5D=PATCH')).toEqual(['PUT', 'PATCH']);
    expect(rawBodyMethods('{"\\u005fmethod":"PUT"}')).toEqual(['PUT']);
    expect(rawBodyMethods('{ "_method" : "PUT" }')).toEqual(['PUT']);
    // A field with no `=` is read as the empty value, as URLSearchParams and qs read it.
    expect(rawBodyMethods('a=1&_method')).toEqual(['']);
    // Only a top-level object's own field names a method, as `req.body._method` reads it.
    expect(rawBodyMethods('[{"_method":"PUT"}]')).toStrictEqual([]);
    const noise = Buffer.from([0xff, 0xc3, 0x28]);
    const bytes = Buffer.concat([noise, Buffer.from('&_method=DELETE&'), noise]);
    expect(rawBodyMethods(bytes)).toEqual(['DELETE']);
    // A view into a larger buffer reads its own bytes only.
    const shared = Buffer.from('_method=PUT|_method=GET');
    expect(rawBodyMethods(new Uint8Array(shared.buffer, shared.byteOffset + 12, 11))).toEqual([
      'GET',
    ]);
    for (const body of ['', '{"_method":', '["_method"]', '_methods=PUT', Buffer.alloc(0)]) {
      expect(rawBodyMethods(body)).toEqual([]);
    }
  });

  it('drops a leading byte order mark, as the parsers that decode UTF-8 do', () => {
    for (const text of ['_method=DELETE', '{"_method":"DELETE"}']) {
      expect(rawBodyMethods(`\uFEFF${text}`)).toEqual(['DELETE']);
      expect(rawBodyMethods(Buffer.from(`\uFEFF${text}`))).toEqual(['DELETE']);
    }
    // Only at the start, and only the whole mark.
    expect(rawBodyMethods('a=1&\uFEFF_method=DELETE')).toEqual([]);
    for (const almost of [
      [0xef, 0xbb],
      [0xef, 0x41, 0xbf],
      [0x41, 0xbb, 0xbf],
      [0xef, 0xbb, 0x41],
    ]) {
      expect(rawBodyMethods(Buffer.from([...almost, ...Buffer.from('_method=PUT')]))).toEqual([]);
    }
  });
});

describe('otherMethods on raw bytes in the charset their Content-Type names', () => {
  const json = '{"_method":"DELETE"}';
  const typed = (body: Uint8Array, contentType: string | string[]): RequestLike =>
    post({ body, headers: { 'content-type': contentType } });
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it.each([
    ['utf-16le', Buffer.from(json, 'utf16le')],
    ['UTF-16LE', Buffer.from(json, 'utf16le')],
    ['"utf-16be"', utf16be(json)],
    ['utf-16', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(json)])],
    ['utf-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])],
  ])('reads %s as Express’s JSON parser does', (charset, body) => {
    expect(otherMethods(typed(body, `application/json; charset=${charset}`))).toEqual(['DELETE']);
  });

  it('reads the bytes as they are under an ASCII-compatible charset, and under none', () => {
    for (const type of [
      'application/json',
      'a/b; x=1',
      'a/b; charset=UTF-8',
      'a/b; charset=utf8',
      'a/b; charset=iso-8859-1',
    ]) {
      expect(otherMethods(typed(Buffer.from(json), type))).toEqual(['DELETE']);
    }
    // A UTF-16 charset adds its readings to the bytes' own, never takes them away.
    expect(otherMethods(typed(Buffer.from(json), 'application/json; charset=utf-16le'))).toEqual([
      'DELETE',
    ]);
    expect(
      otherMethods(typed(Buffer.from(json, 'utf16le'), ['a/b', 'a/b;charset=utf-16'])),
    ).toEqual(['DELETE']);
  });

  it('reads a text body, and a charset spaced around its `=`, as the parsers do', () => {
    // A Lambda event's text body reaches the app as its UTF-8 bytes: here, UTF-16 code units.
    const text = Buffer.from(json, 'utf16le').toString('latin1');
    expect(bodyReadings(text, 'a/b; charset=utf-16le').flatMap(rawBodyMethods)).toEqual(['DELETE']);
    const spaced = typed(Buffer.from(json, 'utf16le'), 'application/json; charset = utf-16le');
    expect(otherMethods(spaced)).toEqual(['DELETE']);
  });

  it.each(['utf-32le', 'UTF-7', 'utf-32', 'utf7'])(
    'refuses %s, which the guard cannot decode, naming it',
    (charset) => {
      expect(() =>
        otherMethods(typed(Buffer.from(json), `application/json; charset=${charset}`), 'api'),
      ).toThrow(
        expect.objectContaining({
          status: 400,
          reason: 'body_unreadable',
          realm: 'api',
          description: `The request body's charset (${charset.toLowerCase()}) cannot be read`,
        }),
      );
    },
  );

  it('leaves a charset no parser of the UTF family names to the parser that refuses it', () => {
    expect(
      otherMethods(typed(Buffer.from(json), 'application/json; charset=windows-1252')),
    ).toEqual(['DELETE']);
  });
});

describe('otherMethods on raw bytes with a Content-Encoding', () => {
  const form = Buffer.from('_method=DELETE');
  const bytes = (body: Uint8Array, encoding?: string | string[]): RequestLike =>
    post({ body, headers: encoding === undefined ? {} : { 'content-encoding': encoding } });

  it.each([
    ['gzip', gzipSync(form)],
    ['x-gzip', gzipSync(form)],
    ['deflate', deflateSync(form)],
    ['br', brotliCompressSync(form)],
    [' GZIP ', gzipSync(form)],
    ['identity', form],
    ['', form],
  ])('reads the body %j encodes as the app’s parser will', (encoding, body) => {
    expect(otherMethods(bytes(body, encoding))).toEqual(['DELETE']);
  });

  it.each([
    ['an encoding no parser undoes', 'compress', form, 'compress'],
    ['two in a row', 'gzip, gzip', gzipSync(gzipSync(form)), 'gzip, gzip'],
    ['two headers', ['gzip', 'br'], gzipSync(form), 'gzip, br'],
    ['bytes that do not decode', 'gzip', form, 'gzip'],
    ['raw deflate, which Node’s inflate refuses', 'deflate', deflateRawSync(form), 'deflate'],
  ])('refuses %s with 400, naming the encoding', (_case, encoding, body, named) => {
    expect(() => otherMethods(bytes(body, encoding), 'api')).toThrow(
      expect.objectContaining({
        status: 400,
        reason: 'body_unreadable',
        realm: 'api',
        description: `The request body's Content-Encoding (${named}) could not be undone`,
      }),
    );
  });

  it('refuses a body that inflates past 16 MiB', () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024 + 1, 'a'));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => otherMethods(bytes(bomb, 'gzip'))).toThrow(
      expect.objectContaining({ reason: 'body_unreadable' }),
    );
    const under = gzipSync(Buffer.concat([Buffer.alloc(16 * 1024 * 1024 - 20, ' '), form]));
    expect(() => otherMethods(bytes(under, 'gzip'))).not.toThrow();
  });
});

describe('otherMethods on a raw multipart body', () => {
  const TYPE = 'multipart/form-data; boundary=x';
  const form = (value: string, headers = '') =>
    Buffer.from(
      `--x\r\nContent-Disposition: form-data; name="_method"${headers}\r\n\r\n${value}\r\n--x--\r\n`,
      'latin1',
    );
  const raw = (body: unknown, contentType: string | string[], more = {}): RequestLike =>
    post({ body, headers: { 'content-type': contentType, ...more } } as never);

  it('reads the `_method` parts, as an upload parser inside the app does', async () => {
    expect(await otherMethods(raw(form('delete'), TYPE))).toEqual(['DELETE']);
    // Beside the methods named outside the body, once each.
    const overridden = raw(form('PUT'), TYPE, { 'x-http-method-override': 'patch, put' });
    expect(await otherMethods(overridden)).toEqual(['PATCH', 'PUT']);
    // Several Content-Type headers: the multipart one is read; the request's own method is not.
    expect(await otherMethods(raw(form('PUT'), ['text/plain', TYPE]))).toEqual(['PUT']);
    expect(await otherMethods(raw(form('POST'), TYPE))).toEqual([]);
    // A part with an empty file name is a field to busboy.
    expect(await otherMethods(raw(form('PATCH', '; filename=""'), TYPE))).toEqual(['PATCH']);
    expect(
      await otherMethods(raw(gzipSync(form('PUT')), TYPE, { 'content-encoding': 'gzip' })),
    ).toEqual(['PUT']);
  });

  it('answers at once for a parsed body, and for bytes of another type', () => {
    expect(otherMethods(raw({ _method: 'DELETE' }, TYPE))).toEqual(['DELETE']);
    expect(otherMethods(raw(form('DELETE'), 'application/json'))).toEqual([]);
    expect(otherMethods(post({ body: form('DELETE'), headers: {} }))).toEqual([]);
  });

  it('refuses a part parsers read apart, and a body the platform cannot read, with 400', async () => {
    const apart = raw(form('DELETE', '\r\nContent-Transfer-Encoding: base64'), TYPE);
    await expect(otherMethods(apart, 'api')).rejects.toMatchObject({
      status: 400,
      reason: 'body_unreadable',
      realm: 'api',
    });
    await expect(otherMethods(raw(Buffer.from('no parts'), TYPE))).rejects.toMatchObject({
      status: 400,
    });
  });
});
