// The testing kit's stand-in for the Lambda runtime's response streaming: it must refuse what the
// runtime refuses, and read a streamed answer as a Function URL does.

import { awslambda, invokeStreaming, TestResponseStream } from '../src';

describe('invokeStreaming', () => {
  it('reads the prelude, the eight NUL bytes and the body', async () => {
    const handler = awslambda.streamifyResponse(
      async (_event: unknown, stream: TestResponseStream) => {
        const out = awslambda.HttpResponseStream.from(stream, {
          statusCode: 201,
          headers: { 'content-type': 'text/plain' },
          cookies: ['a=1'],
        });
        out.write('one ');
        out.write(Buffer.from('two'));
        out.end();
      },
    );
    expect(await invokeStreaming(handler, {})).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'text/plain' },
      cookies: ['a=1'],
      body: 'one two',
      contentType: 'application/vnd.awslambda.http-integration-response',
    });
  });

  it('answers 200 with the stream’s content type when there is no prelude', async () => {
    const handler = awslambda.streamifyResponse(
      async (_event: unknown, stream: TestResponseStream) => {
        stream.write({ json: true });
        stream.end();
      },
    );
    expect(await invokeStreaming(handler, {})).toEqual({
      statusCode: 200,
      headers: {},
      body: '{"json":true}',
      contentType: 'application/octet-stream',
    });
  });

  it('passes the event and context through', async () => {
    const seen: unknown[] = [];
    const handler = awslambda.streamifyResponse(
      async (event: unknown, stream: TestResponseStream, context: unknown) => {
        seen.push(event, context);
        stream.end();
      },
    );
    await invokeStreaming(handler, { id: 1 }, { awsRequestId: 'r' });
    expect(seen).toEqual([{ id: 1 }, { awsRequestId: 'r' }]);
  });

  it('refuses what the runtime refuses', async () => {
    const ends = async (_event: unknown, stream: TestResponseStream) => void stream.end();
    await expect(invokeStreaming(ends, {})).rejects.toThrow('not a streaming handler');
    const syncHandler = awslambda.streamifyResponse((_e: unknown, s: TestResponseStream) => {
      s.end();
    });
    await expect(invokeStreaming(syncHandler, {})).rejects.toThrow('non-async handlers');
    const unfinished = awslambda.streamifyResponse(
      async (_event: unknown, stream: TestResponseStream) => void stream.write('half'),
    );
    await expect(invokeStreaming(unfinished, {})).rejects.toThrow('not finished');
  });

  it('refuses a content type set after the first write, as the runtime does', () => {
    const stream = new TestResponseStream();
    stream.setContentType('text/plain');
    stream.write('x');
    expect(() => stream.setContentType('text/html')).toThrow('too late');
  });

  it('marks a handler as the runtime’s streamifyResponse does', () => {
    const handler = awslambda.streamifyResponse(async () => undefined, { highWaterMark: 64 });
    const marks = handler as unknown as Record<symbol, unknown>;
    expect(marks[Symbol.for('aws.lambda.runtime.handler.streaming')]).toBe('response');
    expect(marks[Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark')]).toBe(64);
  });
});
