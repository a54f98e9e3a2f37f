// The pieces the guard answers a streaming handler with, on their own: which second argument is
// a response stream, the runtime's marks kept, and the prelude marked however it is written.

import { awslambda, lambdaContext, TestResponseStream } from '@cognito-guard/testing';
import {
  isResponseStream,
  keepStreamingMarks,
  markingPrelude,
  writeStreamedDenial,
} from '../src/response-stream';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

// What a handler's prelude writer sends when `_onBeforeFirstWrite` is set through the stream.
function preludeThrough(stream: TestResponseStream, chunks: (string | Uint8Array)[]): string {
  const marked = markingPrelude(stream, 'Authorization');
  marked._onBeforeFirstWrite = (write: (chunk: string | Uint8Array) => void) => {
    for (const chunk of chunks) write(chunk);
  };
  marked.write('');
  marked.end();
  return stream.bytes().toString('utf8');
}

describe('isResponseStream', () => {
  const method = () => undefined;
  it.each([
    ['the runtime’s stream', new TestResponseStream(), true],
    ['a Lambda context', lambdaContext(), false],
    ['no setContentType', { write: method, end: method }, false],
    ['no write', { setContentType: method, end: method }, false],
    ['no end', { setContentType: method, write: method }, false],
    [
      'a setContentType that is not a function',
      { setContentType: 1, write: method, end: method },
      false,
    ],
    ['undefined', undefined, false],
    ['null', null, false],
  ])('%s: %s', (_name, value, expected) => {
    expect(isResponseStream(value)).toBe(expected);
  });
});

describe('keepStreamingMarks', () => {
  it('copies the streaming mark and the high-water mark, and nothing when there are none', () => {
    const streamed = awslambda.streamifyResponse(async () => undefined, { highWaterMark: 64 });
    const kept = keepStreamingMarks(streamed, async () => undefined) as unknown as Record<
      symbol,
      unknown
    >;
    expect([kept[STREAMING], kept[HIGH_WATER_MARK]]).toEqual(['response', 64]);
    const plain = keepStreamingMarks(
      async () => undefined,
      async () => undefined,
    );
    expect(Object.getOwnPropertySymbols(plain)).toEqual([]);
  });
});

describe('markingPrelude', () => {
  it('marks the JSON prelude and passes the delimiter and the body through', () => {
    const stream = new TestResponseStream();
    const text = preludeThrough(stream, [
      '{"statusCode":200,"headers":{"vary":"Origin"}}',
      new Uint8Array(8),
    ]);
    expect(text).toBe(
      `{"statusCode":200,"headers":{"vary":"Origin, Authorization","Cache-Control":"private"}}${'\0'.repeat(8)}`,
    );
  });

  it.each([['null'], ['[1,2]'], ['"text"'], ['not json']])(
    'leaves a prelude that is not a JSON object as it is: %s',
    (prelude) => {
      expect(preludeThrough(new TestResponseStream(), [prelude])).toBe(prelude);
    },
  );

  it('lands every other write on the stream itself, as it was given', () => {
    const stream = new TestResponseStream();
    const marked = markingPrelude(stream, 'Authorization') as TestResponseStream & {
      flag?: unknown;
    };
    const before = () => undefined;
    marked.flag = before;
    expect(stream).toHaveProperty('flag', before);
    marked._onBeforeFirstWrite = undefined;
    expect(stream._onBeforeFirstWrite).toBeUndefined();
  });

  it('runs the stream’s methods on the stream, keeps their identity and its constructor', () => {
    const stream = new TestResponseStream();
    const marked = markingPrelude(stream, 'Authorization');
    expect(marked.write).toBe(marked.write);
    expect(marked.constructor).toBe(TestResponseStream);
    marked.setContentType('text/plain'); // reads a private field: fails on a proxy's `this`
    expect(marked.write('x')).toBe(true);
  });
});

describe('writeStreamedDenial', () => {
  it('fails when the stream does, rather than settling as if answered', async () => {
    const stream = new TestResponseStream();
    stream._write = (_chunk, _encoding, done) => done(new Error('connection reset'));
    const denial = { statusCode: 401, headers: {}, body: '{}', isBase64Encoded: false };
    await expect(writeStreamedDenial(stream, denial)).rejects.toThrow('connection reset');
  });
});
