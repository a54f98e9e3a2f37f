// The Lambda guard reads a multipart body's `_method` fields with the platform's parser, and the
// app inside reads them with its own: busboy (multer, Express), @fastify/busboy
// (@fastify/multipart), formidable (koa-body, express-formidable), multiparty
// (connect-multiparty) or the platform's (Hono). Whatever a part's headers say, and whatever
// Content-Type the body came with, each `_method` value any of them reads must be among the
// guard's, or the guard must refuse the body.

import { Readable } from 'node:stream';
import { Busboy as FastifyBusboy } from '@fastify/busboy';
import busboy from 'busboy';
import fc from 'fast-check';
import formidable from 'formidable';
import multiparty from 'multiparty';
import { eventBodyMethods } from '../src/event-body';

const TYPE = 'multipart/form-data; boundary=x';

type Fields = [string, string][];
interface StreamParser {
  on(event: 'field', listener: (name: string, value: string) => void): unknown;
  on(event: 'file', listener: (name: string, file: NodeJS.ReadableStream) => void): unknown;
  on(event: 'error' | 'close' | 'finish', listener: () => void): unknown;
  end(chunk: Buffer): unknown;
}

// A stream parser's fields, once it is done; a body it refuses names what it read before, and a
// Content-Type it refuses (busboy reads only multipart/form-data) nothing.
function streamFields(made: () => StreamParser, body: string): Promise<Fields> {
  return new Promise((resolve) => {
    let parser: StreamParser;
    try {
      parser = made();
    } catch {
      return resolve([]);
    }
    const fields: Fields = [];
    parser.on('field', (name, value) => fields.push([name, value]));
    parser.on('file', (_name, file) => file.resume());
    for (const event of ['error', 'close', 'finish'] as const) {
      parser.on(event, () => resolve(fields));
    }
    parser.end(Buffer.from(body, 'latin1'));
  });
}

// The request stream formidable and multiparty read, as Node's server hands it to them.
const incoming = (body: string, type: string) =>
  Object.assign(Readable.from([Buffer.from(body, 'latin1')]), {
    headers: { 'content-type': type, 'content-length': String(Buffer.byteLength(body, 'latin1')) },
  });
// formidable and multiparty answer with fields by name; a body they refuse names nothing.
const byName = (fields: Record<string, unknown[] | undefined> | undefined): Fields =>
  Object.entries(fields ?? {}).flatMap(([name, values]) =>
    (values ?? []).map((value): [string, string] => [name, String(value)]),
  );

const parsers: Record<string, (body: string, type?: string) => Promise<Fields>> = {
  busboy: (body, type = TYPE) =>
    streamFields(() => busboy({ headers: { 'content-type': type } }) as StreamParser, body),
  '@fastify/busboy': (body, type = TYPE) =>
    streamFields(
      () => new FastifyBusboy({ headers: { 'content-type': type } }) as unknown as StreamParser,
      body,
    ),
  // formidable 3.5 reads a field of Content-Transfer-Encoding 7bit or 8bit with a StringDecoder of
  // that name, which throws outside its stream's error handling: the app crashes, reading nothing.
  formidable: async (body, type = TYPE) =>
    /content-transfer-encoding:\s*[78]bit/i.test(body)
      ? []
      : formidable({})
          .parse(incoming(body, type) as never)
          .then(
            ([fields]) => byName(fields),
            () => [],
          ),
  multiparty: (body, type = TYPE) =>
    new Promise((resolve) =>
      new multiparty.Form().parse(incoming(body, type) as never, (err, fields) =>
        resolve(err ? [] : byName(fields)),
      ),
    ),
  platform: async (body, type = TYPE) => {
    try {
      const form = await new Response(body, { headers: { 'content-type': type } }).formData();
      return [...form].flatMap(([name, value]) =>
        typeof value === 'string' ? [[name, value]] : [],
      );
    } catch {
      return [];
    }
  },
};

const namesOverride = (name: string) => name === '_method' || name.startsWith('_method[');

// What the guard reads: the override's values, or the refusal.
async function guardReading(body: string, type = TYPE): Promise<unknown[] | Error> {
  try {
    return (await eventBodyMethods({ body }, type))?._method.slice() ?? [];
  } catch (err) {
    return err as Error;
  }
}

const part = (headers: string, value = 'DELETE', boundary = 'x') =>
  `--${boundary}\r\n${headers}\r\n\r\n${value}\r\n`;
// `DELETE` in UTF-16, as bytes read as latin1.
const UTF16_DELETE = Buffer.from('DELETE', 'utf16le').toString('latin1');
const body = (...parts: string[]) => `${parts.join('')}--x--\r\n`;

describe('the multipart parsers an app may use inside a Lambda guard', () => {
  const param = fc.constantFrom(
    'name="_method"',
    'name="x"',
    'name=_method',
    'NAME="_method"',
    'name="_method[]"',
    "name*=utf-8''%5Fmethod",
    "name*=UTF-8'en'%5Fmethod",
    "name*=utf-8''x",
    'filename="f.txt"',
    'filename=""',
    "filename*=utf-8''r%C3%A9sum%C3%A9.txt",
    // formidable takes the first `name=` after any non-word character, in a value too.
    'filename="a name=_method"',
    'x-name="_method"',
    'name=_method/x',
    'name = "_method"',
  );
  const separator = fc.constantFrom('; ', ';', ';\t', ' ; ', ';\r\n ');
  const disposition = fc
    .tuple(
      fc.constantFrom(
        'Content-Disposition: ',
        'content-disposition:',
        'CONTENT-DISPOSITION: ',
        'Content-Disposition : ',
      ),
      // formidable and multiparty read a part of any disposition type; busboy only form-data.
      fc.constantFrom('form-data', 'FORM-DATA', 'attachment', 'inline'),
      fc.array(fc.tuple(separator, param), { minLength: 1, maxLength: 3 }),
    )
    .map(([name, type, params]) => `${name}${type}${params.map(([sep, p]) => sep + p).join('')}`);
  const otherHeader = fc.constantFrom(
    'Content-Type: text/plain',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Type: text/plain; charset=utf-16le',
    'Content-Type: text/plain; charset=latin1',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: 8bit',
  );
  const hostilePart = (boundary: string) =>
    fc
      .tuple(
        fc.array(disposition, { minLength: 1, maxLength: 2 }),
        fc.array(otherHeader, { maxLength: 2 }),
        // DELETE as it is, in UTF-16, and in base64.
        fc.constantFrom('DELETE', UTF16_DELETE, 'REVMRVRF'),
      )
      .map(([dispositions, others, value]) =>
        part([...dispositions, ...others].join('\r\n'), value, boundary),
      );
  // A part as browsers send it, so that most bodies are read, not refused, and the readings are
  // compared.
  const plainPart = (boundary: string) =>
    fc
      .tuple(fc.constantFrom('_method', '_method[]', 'x'), fc.constantFrom('DELETE', 'PUT'))
      .map(([name, value]) =>
        part(`Content-Disposition: form-data; name="${name}"`, value, boundary),
      );
  const partOf = (boundary: string) =>
    fc.oneof(
      { arbitrary: plainPart(boundary), weight: 2 },
      { arbitrary: hostilePart(boundary), weight: 1 },
    );
  // Every parser but busboy's and the platform's reads a multipart type other than form-data
  // (koa-body hands formidable any `multipart/*`; formidable itself, any type that says
  // "multipart"), and formidable takes the first `boundary=` in the header, whatever precedes it.
  const type = fc.constantFrom(
    TYPE,
    'multipart/mixed; boundary=x',
    'multipart/related; type="text/plain"; boundary="x"',
    'Multipart/Form-Data; boundary=x',
    'multipart/x-anything; boundary=x',
    'multipart/form-data; xboundary=y; boundary=x',
    'multipart/mixed; boundary=x; boundary=y',
    'multipart/form-data; boundary=y; boundary=x',
    'multipart/form-data; boundary="x"',
    'multipart/related; xboundary=y; boundary=x',
    'text/plain; boundary=x; note=multipart',
  );
  // Parts between `x` delimiters, now and then with more between `y` ones inside a part's value,
  // which only a parser that takes `y` for the boundary reads as parts.
  const sentBody = fc
    .tuple(
      fc.array(partOf('x'), { minLength: 1, maxLength: 3 }),
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.array(partOf('y'), { minLength: 1, maxLength: 2 }), weight: 1 },
      ),
    )
    .map(([xs, ys]) => {
      const inner =
        ys && part('Content-Disposition: form-data; name="note"', `${ys.join('')}--y--`);
      return `${xs.join('')}${inner ?? ''}--x--\r\n`;
    });

  it('never reads fewer `_method` values than any of them, or refuses the body', async () => {
    const outcomes = { refused: 0, readNone: 0, readSome: 0 };
    await fc.assert(
      fc.asyncProperty(sentBody, type, async (sent, type) => {
        const read = await guardReading(sent, type);
        if (read instanceof Error) {
          outcomes.refused++;
          expect(read).toMatchObject({ status: 400, reason: 'body_unreadable' });
          return;
        }
        outcomes[read.length > 0 ? 'readSome' : 'readNone']++;
        for (const [parser, fieldsOf] of Object.entries(parsers)) {
          const values = (await fieldsOf(sent, type)).filter(([name]) => namesOverride(name));
          for (const [, value] of values) {
            expect({ parser, type, read }).toEqual({
              parser,
              type,
              read: expect.arrayContaining([value]),
            });
          }
        }
      }),
      { numRuns: 600 },
    );
    // Each outcome often: a run the guard refuses compares nothing.
    expect(outcomes.readSome).toBeGreaterThan(60);
    expect(outcomes.readNone).toBeGreaterThan(15);
    expect(outcomes.refused).toBeGreaterThan(60);
  });

  it.each([
    [
      'two Content-Disposition headers, `_method` first',
      'name="_method"\r\nContent-Disposition: form-data; name="x"',
    ],
    [
      'two Content-Disposition headers, `_method` last',
      'name="x"\r\nContent-Disposition: form-data; name="_method"',
    ],
    ['a name given twice, `_method` first', 'name="_method"; name="x"'],
    ['a name given twice, `_method` last', 'name="x"; name="_method"'],
    ['an extended name with a language', "name*=utf-8'en'%5Fmethod"],
    ['an extended name beside a plain one', 'name="x"; name*=utf-8\'\'%5Fmethod'],
    ['a name on a folded line', 'name="x";\r\n name="_method"'],
  ])('refuses %s, which the parsers read apart', async (_case, params) => {
    const sent = body(part(`Content-Disposition: form-data; ${params}`));
    const readings = await Promise.all(Object.values(parsers).map((fieldsOf) => fieldsOf(sent)));
    // The parsers do disagree on each of these (or one of them refuses it).
    expect(new Set(readings.map((fields) => JSON.stringify(fields))).size).toBeGreaterThan(1);
    await expect(eventBodyMethods({ body: sent }, TYPE)).rejects.toMatchObject({
      status: 400,
      reason: 'body_unreadable',
    });
  });

  it.each([
    [
      'an empty file name, a file to the platform and a field to busboy and formidable',
      part('Content-Disposition: form-data; name="_method"; filename=""'),
      { _method: ['DELETE'] },
    ],
    [
      'a part in UTF-16, which busboy decodes',
      part(
        'Content-Disposition: form-data; name="_method"\r\nContent-Type: text/plain; charset=utf-16le',
        UTF16_DELETE,
      ),
      'refused',
    ],
    [
      'a part in base64, which the platform decodes and busboy does not',
      part('Content-Disposition: form-data; name="_method"\r\nContent-Transfer-Encoding: base64'),
      'refused',
    ],
  ])('reads or refuses %s', async (_case, sentPart, expected) => {
    const sent = body(sentPart);
    const readings = await Promise.all(Object.values(parsers).map((fieldsOf) => fieldsOf(sent)));
    expect(readings).toContainEqual([['_method', 'DELETE']]);
    const read = eventBodyMethods({ body: sent }, TYPE);
    if (expected === 'refused') {
      await expect(read).rejects.toMatchObject({ status: 400, reason: 'body_unreadable' });
    } else await expect(read).resolves.toEqual(expected);
  });

  // A `_method` part where only one parser looks: under a type busboy does not read, or between
  // the delimiters of the boundary only formidable or only multiparty takes, inside the value of
  // a part the others read. The guard reads those too, or refuses them: Node 20's parser refuses
  // a body that does not open with its boundary, Node 24's reads it.
  const under = (boundary: string, name: string, value = 'DELETE') =>
    `${part(`Content-Disposition: form-data; name="${name}"`, value, boundary)}--${boundary}--\r\n`;
  const nested = (outer: string, inner: string) => under(outer, 'note', under(inner, '_method'));
  it.each([
    ['multipart/mixed; boundary=x', 'formidable', 'reads it', under('x', '_method')],
    ['multipart/related; boundary=x', 'multiparty', 'reads it', under('x', '_method')],
    ['text/plain; boundary=x; note=multipart', 'formidable', 'reads it', under('x', '_method')],
    [
      'multipart/form-data; xboundary=y; boundary=x',
      'formidable',
      'reads or refuses it',
      nested('x', 'y'),
    ],
    [
      'multipart/related; xboundary=y; boundary=x',
      'multiparty',
      'reads or refuses it',
      nested('y', 'x'),
    ],
  ])(
    'a `_method` part of %s, which %s reads: the guard %s',
    async (type, parser, expected, sent) => {
      const fieldsOf = parsers[parser] as (body: string, type: string) => Promise<Fields>;
      expect(await fieldsOf(sent, type)).toContainEqual(['_method', 'DELETE']);
      const read = await guardReading(sent, type);
      if (expected === 'reads it') expect(read).toEqual(['DELETE']);
      else if (read instanceof Error)
        expect(read).toMatchObject({ status: 400, reason: 'body_unreadable' });
      else expect(read).toContain('DELETE');
    },
  );

  it('reads no part of a multipart type busboy does not read, when no part can name `_method`', async () => {
    // A multipart/related upload with a part of no form-data disposition, which the platform's
    // parser refuses: only formidable and multiparty read such a type, and they decode no name.
    const related = `--x\r\nContent-Type: application/json\r\n\r\n{}\r\n--x--\r\n`;
    expect(await guardReading(related, 'multipart/related; boundary=x')).toEqual([]);
    expect(await guardReading(related, TYPE)).toMatchObject({ status: 400 });
  });

  it('reads a browser-made body as every parser does', async () => {
    const form = new FormData();
    form.append('_method', 'DELETE');
    form.append('upload', new Blob(['--x\r\nnot a part header\r\n']), 'a "b".txt');
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const type = encoded.headers.get('content-type') as string;
    expect(await eventBodyMethods({ body: bytes }, type)).toEqual({ _method: ['DELETE'] });
  });

  it('counts header-like text inside a value too: the stricter reading wins', async () => {
    const inValue = `--x\r\nContent-Disposition: form-data; name="note"\r\n\r\n--\r\nContent-Disposition: a; name*=b\r\n\r\n--x--\r\n`;
    await expect(eventBodyMethods({ body: inValue }, TYPE)).rejects.toMatchObject({ status: 400 });
  });
});
