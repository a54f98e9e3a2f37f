// The spellings of a part's headers that ambiguousPartName must see through, and the text it must
// leave alone. The differential against the parsers themselves is in multipart-parsers.test.ts.

import { ambiguousPartName } from '../src/part-names';

const part = (headers: string) => `--x\r\n${headers}\r\n\r\nDELETE\r\n`;
const body = (...parts: string[]) => `${parts.join('')}--x--\r\n`;

describe('ambiguousPartName', () => {
  it.each([
    [
      'a name given twice with no disposition type',
      'Content-Disposition: name="_method"; name="x"',
    ],
    ['an extended name with no disposition type', "Content-Disposition: name*=utf-8''%5Fmethod"],
    ['an extended name with no space after the `;`', "Content-Disposition: form-data;name*=''x"],
    ['an extended name with a space before its `*`', "Content-Disposition: form-data; name *=''x"],
    [
      'a name given twice with spaces before `=`',
      'Content-Disposition: form-data; name ="_method"; name ="x"',
    ],
    [
      'two dispositions, one with a space before its colon',
      'Content-Disposition : form-data; name="_method"\r\nContent-Disposition: form-data; name="x"',
    ],
  ])('finds %s', (_case, headers) => {
    expect(ambiguousPartName(body(part(headers)))).toBe(true);
  });

  it('finds a name given twice in a body whose lines end in LF alone', () => {
    const lf =
      '--x\nContent-Type: text/plain\nContent-Disposition: form-data; name="_method"; name="x"\n\nDELETE\n--x--\n';
    expect(ambiguousPartName(lf)).toBe(true);
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
  ])('leaves alone %s', (_case, sent) => {
    expect(ambiguousPartName(sent)).toBe(false);
  });
});
