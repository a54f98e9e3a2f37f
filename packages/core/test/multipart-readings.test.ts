// Which Content-Types a raw body is read under as multipart: each one some upload parser reads as
// multipart, with each boundary one of them takes from it. The parsers themselves are compared
// with the guard's reading in the Lambda package's multipart-parsers.test.ts.

import { multipartValues } from '../src/request/multipart-body';
import { multipartReadings, saysMultipart } from '../src/request/multipart-readings';

const NAMES_METHOD =
  '--x\r\nContent-Disposition: form-data; name="_method"\r\n\r\nPUT\r\n--x--\r\n';

describe('saysMultipart', () => {
  it.each([
    ['multipart/form-data; boundary=x', true],
    ['multipart/mixed; boundary=x', true],
    ['Multipart/Related; boundary=x', true],
    // formidable reads any Content-Type that says it, anywhere.
    ['text/plain; boundary=x; note=multipart', true],
    ['application/x-www-form-urlencoded', false],
    ['application/json', false],
  ])('%s: %s', (type, expected) => {
    expect(saysMultipart(type)).toBe(expected);
  });
});

describe('multipartReadings', () => {
  it('reads a plain form-data type once, as it came', () => {
    for (const type of ['multipart/form-data; boundary=x', 'multipart/form-data;boundary=----a1']) {
      expect(multipartReadings(type, NAMES_METHOD)).toEqual([type]);
    }
  });

  it('reads another form-data type as it came, and under each boundary a parser takes', () => {
    expect(multipartReadings('multipart/form-data; xboundary=y; boundary=x', '')).toEqual([
      'multipart/form-data; xboundary=y; boundary=x',
      'multipart/form-data; boundary="y"',
      'multipart/form-data; boundary="x"',
    ]);
    expect(multipartReadings('multipart/form-data; boundary=x; boundary=y', '')).toEqual([
      'multipart/form-data; boundary=x; boundary=y',
      'multipart/form-data; boundary="x"',
      'multipart/form-data; boundary="y"',
    ]);
    // @fastify/busboy reads a boundary spaced before its `=`; the platform's parser refuses it.
    expect(multipartReadings('multipart/form-data; boundary =x', '')).toEqual([
      'multipart/form-data; boundary =x',
      'multipart/form-data; boundary="x"',
    ]);
  });

  it('reads a form-data type with space before it, or none before a parameter, as one', () => {
    expect(multipartReadings(' multipart/form-data; boundary="x"', '')).toEqual([
      ' multipart/form-data; boundary="x"',
      'multipart/form-data; boundary="x"',
    ]);
    expect(multipartReadings('multipart/related; xboundary=y;boundary=x', NAMES_METHOD)).toEqual([
      'multipart/form-data; boundary="y"',
      'multipart/form-data; boundary="x"',
    ]);
  });

  it('takes as plain form-data only a type that starts as one', () => {
    const type = 'text/plain; note=multipart/form-data; boundary=x';
    expect(multipartReadings(type, NAMES_METHOD)).toEqual(['multipart/form-data; boundary="x"']);
  });

  it('unescapes a quoted boundary as MIME parsers do, and quotes it again', () => {
    expect(multipartReadings('multipart/form-data; boundary="a\\"b"', '')).toEqual([
      'multipart/form-data; boundary="a\\"b"',
      // formidable's pattern stops at the first quote inside.
      'multipart/form-data; boundary="a\\\\"',
      'multipart/form-data; boundary="a\\"b"',
    ]);
  });

  it('reads a type only formidable and multiparty read when the body has `_method` in it', () => {
    expect(multipartReadings('multipart/mixed; boundary=x', NAMES_METHOD)).toEqual([
      'multipart/form-data; boundary="x"',
    ]);
    expect(multipartReadings('multipart/related; xboundary=y; boundary=x', NAMES_METHOD)).toEqual([
      'multipart/form-data; boundary="y"',
      'multipart/form-data; boundary="x"',
    ]);
    // They decode no part's name: a body without the name's bytes cannot name it to them.
    expect(
      multipartReadings('multipart/mixed; boundary=x', NAMES_METHOD.replace('_', 'x')),
    ).toEqual([]);
  });

  it('has no boundary to read under when none is given or it is empty', () => {
    expect(multipartReadings('multipart/mixed', NAMES_METHOD)).toEqual([]);
    expect(multipartReadings('multipart/mixed; boundary=', NAMES_METHOD)).toEqual([]);
    expect(multipartReadings('multipart/form-data', NAMES_METHOD)).toEqual(['multipart/form-data']);
  });
});

describe('multipartValues under a type only formidable and multiparty read', () => {
  // A multipart/related upload whose part has a Content-Transfer-Encoding: refused under
  // form-data, where parsers decode it apart, but not read at all where no part can be `_method`.
  const related = '--x\r\nContent-Transfer-Encoding: base64\r\n\r\ne30=\r\n--x--\r\n';

  it('reads nothing, and refuses nothing, when no part can name `_method`', async () => {
    await expect(multipartValues(related, 'multipart/related; boundary=x')).resolves.toEqual([]);
    await expect(multipartValues(related, 'multipart/form-data; boundary=x')).rejects.toMatchObject(
      {
        status: 400,
        reason: 'body_unreadable',
        description: 'A part of the multipart request body has headers parsers read apart',
      },
    );
  });

  it('reads the `_method` parts, from text or bytes', async () => {
    const type = 'multipart/mixed; boundary=x';
    await expect(multipartValues(NAMES_METHOD, type)).resolves.toEqual(['PUT']);
    await expect(multipartValues(Buffer.from(NAMES_METHOD), type)).resolves.toEqual(['PUT']);
  });
});

describe('multipartValues and a header naming many boundaries', () => {
  it('refuses more than four readings, each of which would parse the whole body', async () => {
    const many = (count: number) =>
      `multipart/mixed${Array.from({ length: count }, (_, i) => `; boundary=b${i}`).join('')}`;
    const body = NAMES_METHOD.replaceAll('--x', '--b0');
    // Four are read (and refused: the body opens with one boundary only, as a parser needs).
    await expect(multipartValues(body, many(4))).rejects.toMatchObject({
      status: 400,
      reason: 'body_unreadable',
      description: 'The multipart request body could not be read',
    });
    await expect(multipartValues(body, many(5))).rejects.toMatchObject({
      status: 400,
      description: 'The multipart request body names too many boundaries',
    });
  });
});
