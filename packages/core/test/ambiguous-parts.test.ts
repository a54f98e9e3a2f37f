// The spellings of a part's headers that ambiguousPart must see through, and the text it must
// leave alone. The differential against the parsers themselves is in the Lambda package's
// multipart-parsers.test.ts.

import { ambiguousPart } from '../src/request/ambiguous-parts';

const part = (headers: string) => `--x\r\n${headers}\r\n\r\nDELETE\r\n`;
const body = (...parts: string[]) => `${parts.join('')}--x--\r\n`;

describe('ambiguousPart', () => {
  it.each([
    [
      'a name given twice with no disposition type',
      'Content-Disposition: name="_method"; name="x"',
    ],
    ['an extended name with no disposition type', "Content-Disposition: name*=utf-8''%5Fmethod"],
    ['an extended name with no space after the `;`', "Content-Disposition: form-data;name*=''x"],
    [
      'a name given twice with no space after either `;`',
      'Content-Disposition: form-data;name="_method";name="x"',
    ],
    ['an extended name with a space before its `*`', "Content-Disposition: form-data; name *=''x"],
    [
      'a name given twice with spaces before `=`',
      'Content-Disposition: form-data; name ="_method"; name ="x"',
    ],
    [
      'two dispositions, one with a space before its colon',
      'Content-Disposition : form-data; name="_method"\r\nContent-Disposition: form-data; name="x"',
    ],
    [
      'a part in UTF-16',
      'Content-Disposition: form-data; name="a"\r\nContent-Type: text/plain; charset=utf-16le',
    ],
    [
      'a part in a quoted charset',
      'Content-Disposition: form-data; name="a"\r\ncontent-type: a/b;charset="UTF-16"',
    ],
    [
      'a part in base64',
      'Content-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: base64',
    ],
    [
      'a part in quoted-printable',
      'Content-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: quoted-printable',
    ],
    [
      'a part in UTF-16, spaced before its colon',
      'Content-Disposition: form-data; name="a"\r\nContent-Type : a/b; charset=utf-16',
    ],
  ])('finds %s', (_case, headers) => {
    expect(ambiguousPart(body(part(headers)))).toBe(true);
  });

  it('finds a name given twice in a body whose lines end in LF alone', () => {
    const lf =
      '--x\nContent-Type: text/plain\nContent-Disposition: form-data; name="_method"; name="x"\n\nDELETE\n--x--\n';
    expect(ambiguousPart(lf)).toBe(true);
  });

  it.each([
    [
      'a header whose name only ends in Content-Disposition',
      body(
        part(
          'X-Content-Disposition: form-data; name="a"\r\nContent-Disposition: form-data; name="b"',
        ),
      ),
    ],
    [
      'a `--` inside a value line, before text that looks like headers',
      body(part('Content-Disposition: form-data; name="note"')).replace(
        'DELETE',
        'see a--b\r\nContent-Disposition: a; name="c"; name="d"\r\n',
      ),
    ],
    ...[
      'text/plain',
      'text/plain; charset=UTF-8',
      'text/plain; charset=us-ascii',
      'text/plain; charset=ascii',
      'text/plain; charset=utf8',
      'text/plain; charset=ISO-8859-1',
      'a/b; charset=latin1',
    ].map((type) => [
      `a part whose Content-Type is ${type}`,
      body(part(`Content-Disposition: form-data; name="a"\r\nContent-Type: ${type}`)),
    ]),
    [
      'a header whose name only ends in Content-Type',
      body(part('Content-Disposition: form-data; name="a"\r\nX-Content-Type: a/b; charset=utf-16')),
    ],
    [
      'a header whose name only ends in Content-Transfer-Encoding',
      body(part('Content-Disposition: form-data; name="a"\r\nX-Content-Transfer-Encoding: base64')),
    ],
    [
      // A signature under `-- ` in a value, then a header's name with no colon: no header.
      'a line with no colon, even a header name alone',
      body(part('Content-Disposition: form-data; name="note"')).replace(
        'DELETE',
        'Thanks\r\n-- \r\nContent-Transfer-Encoding \r\n',
      ),
    ],
    [
      'an extended file name',
      body(part('Content-Disposition: form-data; name="f"; filename*=utf-8\'\'r%C3%A9.txt')),
    ],
  ])('leaves alone %s', (_case, sent) => {
    expect(ambiguousPart(sent)).toBe(false);
  });
});
