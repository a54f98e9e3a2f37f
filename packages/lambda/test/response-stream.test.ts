// The pieces the guard answers a streaming handler with, on their own: which second argument is
// a response stream, the runtime's marks kept, and the prelude marked however it is written.

import { awslambda, lambdaContext, TestResponseStream } from '@cognito-guard/testing';
import {
  isResponseStream,
  keepStreamingMarks,
  markingAnswer,
  writeStreamedDenial,
} from '../src/response-stream';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

// What a handler's prelude writer sends when `_onBeforeFirstWrite` is set through the stream.
function preludeThrough(stream: TestResponseStream, chunks: (string | Uint8Array)[]): string {
  const marked = markingAnswer(stream, 'Authorization', false);
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

describe('markingAnswer', () => {
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
    const marked = markingAnswer(stream, 'Authorization', false) as TestResponseStream & {
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
    const marked = markingAnswer(stream, 'Authorization', false);
    expect(marked.once).toBe(marked.once);
    expect(marked.constructor).toBe(TestResponseStream);
    marked.setContentType('text/plain'); // reads a private field: fails on a proxy's `this`
    expect(marked.write('x')).toBe(true);
  });
});

describe('markingAnswer with a default prelude (an HTTP event)', () => {
  const NULS = '\0'.repeat(8);
  const marks = '"Cache-Control":"private","Vary":"Authorization"';

  it('gives an answer written without a prelude one, with the handler’s content type', () => {
    const stream = new TestResponseStream();
    const marked = markingAnswer(stream, 'Authorization', true);
    marked.setContentType('text/plain');
    marked.write('raw');
    marked.end();
    expect(stream.bytes().toString('utf8')).toBe(
      `{"statusCode":200,"headers":{"Content-Type":"text/plain",${marks}}}${NULS}raw`,
    );
  });

  it('writes the prelude of an answer ended without a write, or with a chunk in end()', () => {
    const ended = new TestResponseStream();
    markingAnswer(ended, 'Authorization', true).end();
    expect(ended.bytes().toString('utf8')).toBe(
      `{"statusCode":200,"headers":{"Content-Type":"application/octet-stream",${marks}}}${NULS}`,
    );
    const chunked = new TestResponseStream();
    const marked = markingAnswer(chunked, 'Authorization', true);
    awslambda.HttpResponseStream.from(marked, { statusCode: 201 });
    (marked.end as (chunk: string) => void)('last');
    expect(chunked.bytes().toString('utf8')).toBe(
      `{"statusCode":201,"headers":{${marks}}}${NULS}last`,
    );
  });

  it('still refuses a content type after the first write, as the runtime does', () => {
    const marked = markingAnswer(new TestResponseStream(), 'Authorization', true);
    marked.write('x');
    expect(() => marked.setContentType('text/html')).toThrow('too late');
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
