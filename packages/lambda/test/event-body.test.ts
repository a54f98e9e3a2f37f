// A Lambda guard wraps the whole app, so a body parser inside runs after it: route policies read
// the `_method` fields of the raw event body themselves. The reader must agree with the encoders
// a client uses (URLSearchParams, JSON.stringify, the platform's multipart FormData), in plain
// text and base64, and a multipart body it cannot read is refused rather than passed.

import { gzipSync } from 'node:zlib';
import {
  albEvent,
  createTestIssuer,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  restProxyEvent,
  type TestIssuer,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import { cognitoGuard } from '../src';
import { eventBodyMethods } from '../src/event-body';

type Encoded = { readonly contentType: string; readonly bytes: Uint8Array };

const encoders: Record<string, (fields: readonly [string, string][]) => Promise<Encoded>> = {
  'URL-encoded': async (fields) => ({
    contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    bytes: new TextEncoder().encode(new URLSearchParams([...fields]).toString()),
  }),
  // A client may percent-encode any character of a name.
  'URL-encoded, escaped': async (fields) => ({
    contentType: 'application/x-www-form-urlencoded',
    bytes: new TextEncoder().encode(
      new URLSearchParams([...fields]).toString().replace(/(^|&)_method/g, '$1%5Fmethod'),
    ),
  }),
  multipart: async (fields) => {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    const response = new Response(form);
    return {
      contentType: response.headers.get('content-type') as string,
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  },
  // JSON's own escape for the name, which JSON.parse reads as `_method`.
  'JSON, escaped': async (fields) => {
    const { contentType, bytes } = await (encoders['JSON'] as (typeof encoders)[string])(fields);
    const text = new TextDecoder().decode(bytes).replaceAll('"_method"', '"\\u005fmethod"');
    return { contentType, bytes: new TextEncoder().encode(text) };
  },
  JSON: async (fields) => {
    const values = fields.filter(([name]) => name === '_method').map(([, value]) => value);
    const object: Record<string, unknown> = Object.fromEntries(fields);
    if (values.length > 1) object['_method'] = values;
    return {
      contentType: 'application/vnd.api+json',
      bytes: new TextEncoder().encode(JSON.stringify(object)),
    };
  },
};

describe('eventBodyMethods agrees with the encoders', () => {
  const name = fc.constantFrom(
    '_method',
    '_method[]',
    '_method[0]',
    '_Method',
    'method',
    '_method ',
    '_methods',
    'x',
    '%5Fmethod',
  );
  // qs's list syntax names the field in a form; JSON has one name for it.
  const namesField = (kind: string, field: string) =>
    field === '_method' || (!kind.startsWith('JSON') && field.startsWith('_method['));
  const value = fc.string({ unit: 'grapheme', maxLength: 12 });

  it.each(Object.keys(encoders))('%s, as text and as base64', async (kind) => {
    const encode = encoders[kind] as (typeof encoders)[string];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(name, value), { maxLength: 5 }),
        fc.boolean(),
        async (fields, base64) => {
          const { contentType, bytes } = await encode(fields);
          const event = base64
            ? { body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true }
            : { body: new TextDecoder().decode(bytes), isBase64Encoded: false };
          const sent = fields.filter(([field]) => namesField(kind, field)).map(([, v]) => v);
          const read = await eventBodyMethods(event, contentType);
          expect(read?._method ?? []).toEqual(sent);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads a form and JSON whatever the Content-Type says, as a parser set to any type would', async () => {
    for (const type of [undefined, 'text/plain', 'application/octet-stream', ['a/b', 'c/d']]) {
      expect(await eventBodyMethods({ body: '_method=DELETE' }, type)).toEqual({
        _method: ['DELETE'],
      });
      expect(await eventBodyMethods({ body: '{"_method":"PUT"}' }, type)).toEqual({
        _method: ['PUT'],
      });
    }
    expect(await eventBodyMethods({ body: '%5Fmethod=put' }, undefined)).toEqual({
      _method: ['put'],
    });
    // Any character may be escaped, in either case of hex digit.
    expect(await eventBodyMethods({ body: 'a=1&_%6Deth%6fd%5B%5D=put' }, undefined)).toEqual({
      _method: ['put'],
    });
    expect(
      await eventBodyMethods({ body: '{"x":1, "\\u005F\\u006dethod" :"PUT"}' }, undefined),
    ).toEqual({ _method: ['PUT'] });
    expect(await eventBodyMethods({ body: '{"\\u005fmethod":"PUT"}' }, undefined)).toEqual({
      _method: ['PUT'],
    });
  });

  it('finds the field among binary bytes that are not UTF-8, base64-encoded', async () => {
    const noise = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]);
    const body = Buffer.concat([noise, Buffer.from('&_method=DELETE&'), noise]);
    const event = { body: body.toString('base64'), isBase64Encoded: true };
    expect(await eventBodyMethods(event, 'application/octet-stream')).toEqual({
      _method: ['DELETE'],
    });
    const without = {
      body: Buffer.concat([noise, noise]).toString('base64'),
      isBase64Encoded: true,
    };
    expect(await eventBodyMethods(without, 'application/octet-stream')).toBeUndefined();
  });

  it('reads bytes and an object, which a directly invoked event may carry, as serverless-http does', async () => {
    expect(await eventBodyMethods({ body: { _method: 'PUT' } }, 'application/json')).toEqual({
      _method: ['PUT'],
    });
    const bytes = new TextEncoder().encode('_method=DELETE');
    // Bytes are the body itself, whatever isBase64Encoded says.
    expect(await eventBodyMethods({ body: bytes, isBase64Encoded: true }, undefined)).toEqual({
      _method: ['DELETE'],
    });
  });

  it('names nothing for a body without the field, or one no parser reads', async () => {
    for (const body of [
      '{"_method":',
      '["_method"]',
      '{"note":"_method"}',
      '{"a":{"_method":"PUT"}}',
      'method=PUT&x_method=PUT',
      '_methods=PUT&_METHOD=PUT',
      '',
      null,
      undefined,
      42,
      {},
      new Uint8Array(),
    ]) {
      expect(await eventBodyMethods({ body }, 'application/json')).toBeUndefined();
    }
  });

  it('refuses a field named the RFC 2231 way, which parsers read apart, on every Node version', async () => {
    const part = (disposition: string) =>
      `--x\r\nContent-Disposition: form-data; ${disposition}\r\n\r\nDELETE\r\n--x--\r\n`;
    const type = 'multipart/form-data; boundary=x';
    await expect(
      eventBodyMethods({ body: part('name="x"; name*=utf-8\'\'%5Fmethod') }, type),
    ).rejects.toMatchObject({ status: 400, reason: 'body_unreadable' });
    await expect(
      eventBodyMethods({ body: part('name="file"; filename="a b"') }, type),
    ).resolves.toBeUndefined();
    await expect(eventBodyMethods({ body: part('name="_method"') }, type)).resolves.toEqual({
      _method: ['DELETE'],
    });
  });

  it('undoes the Content-Encoding an app’s parser inflates, or refuses the body', async () => {
    const gzipped = gzipSync('_method=DELETE');
    const event = { body: gzipped.toString('base64'), isBase64Encoded: true };
    const type = 'application/x-www-form-urlencoded';
    expect(await eventBodyMethods(event, type, { contentEncoding: 'gzip' })).toEqual({
      _method: ['DELETE'],
    });
    expect(await eventBodyMethods(event, type)).toBeUndefined();
    // A text body is the UTF-8 bytes a bridge hands the app.
    const text = { body: '_method=PUT' };
    expect(await eventBodyMethods(text, type, { contentEncoding: 'identity' })).toEqual({
      _method: ['PUT'],
    });
    await expect(
      eventBodyMethods(text, type, { contentEncoding: 'gzip', realm: 'items' }),
    ).rejects.toMatchObject({ status: 400, reason: 'body_unreadable', realm: 'items' });
  });

  it('refuses a multipart body the platform cannot read', async () => {
    await expect(
      eventBodyMethods({ body: '--x\r\nbroken' }, 'multipart/form-data; boundary=x'),
    ).rejects.toMatchObject({ status: 400, reason: 'body_unreadable' });
  });
});

describe.each([
  ['REST proxy', restProxyEvent],
  ['HTTP API', httpApiEvent],
  ['Function URL', functionUrlEvent],
  ['ALB', albEvent],
  ['VPC Lattice', latticeEvent],
] as const)('%s', (_source, build) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer().start();
  });
  afterAll(() => issuer.stop());

  const policy = {
    defaultAction: 'deny' as const,
    routes: { 'POST /items': {}, 'DELETE /items': { groups: ['admins'] } },
  };

  async function send(
    guarded: ReturnType<ReturnType<typeof cognitoGuard>['guardRoutes']>,
    token: string,
    contentType: string,
    body: string | Uint8Array,
  ) {
    let ran = false;
    const handler = guarded(async () => {
      ran = true;
      return { statusCode: 200, body: 'ran' };
    });
    const event = build({
      method: 'POST',
      path: '/items',
      token,
      headers: { 'Content-Type': contentType },
      body,
    });
    const res = (await handler(event, lambdaContext())) as {
      statusCode: number;
      headers?: Record<string, string>;
      multiValueHeaders?: Record<string, string[]>;
      body: string;
    };
    return { status: res.statusCode, ran, response: res };
  }

  it('a route policy refuses a member the method a JSON body names, base64 or not', async () => {
    const guarded = cognitoGuard(issuer.config).guardRoutes(policy);
    const member = issuer.accessToken({ groups: [] });
    const json = '{"_method":"delete","title":"x"}';
    expect(await send(guarded, member, 'application/json', json)).toMatchObject({
      status: 403,
      ran: false,
    });
    expect(
      await send(guarded, member, 'application/json', new TextEncoder().encode(json)),
    ).toMatchObject({ status: 403, ran: false });
    expect(await send(guarded, member, 'application/json', '{"title":"x"}')).toMatchObject({
      status: 200,
      ran: true,
    });
    const admin = issuer.accessToken({ groups: ['admins'] });
    expect(await send(guarded, admin, 'application/json', json)).toMatchObject({
      status: 200,
      ran: true,
    });
  });

  it('a route policy refuses an unreadable multipart body with 400; a rule guard never reads it', async () => {
    const config = cognitoGuard({ ...issuer.config, realm: 'items' });
    const member = issuer.accessToken({ groups: ['members'] });
    const broken = ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form'] as const;
    const refused = await send(config.guardRoutes(policy), member, ...broken);
    expect(refused).toMatchObject({ status: 400, ran: false });
    expect(JSON.parse(refused.response.body)).toEqual({ message: 'Bad Request' });
    const challenge =
      refused.response.headers?.['WWW-Authenticate'] ??
      refused.response.multiValueHeaders?.['WWW-Authenticate']?.[0];
    expect(challenge).toMatch(/^Bearer realm="items", error="invalid_request"/);
    expect(await send(config.requireGroups('members'), member, ...broken)).toMatchObject({
      status: 200,
      ran: true,
    });
  });
});
