// Response-streaming handlers (awslambda.streamifyResponse) behind the guard, run as the Lambda
// runtime runs them (the testing kit's invoker and stream), with real signed tokens and a real
// JWKS: a streamed answer is the buffered one, byte for byte in what the client reads.

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  awslambda,
  functionUrlEvent,
  httpApiEvent,
  invokeStreaming,
  lambdaContext,
  restProxyEvent,
  type StreamedResponse,
  TestResponseStream,
} from '@cognito-guard/testing';
import fc from 'fast-check';
import {
  cognitoGuard,
  type HttpEventLike,
  type HttpResponse,
  type ResponseStreamLike,
} from '../src';
import { movieGuard } from './movie-guard';

interface Caller {
  readonly auth: { readonly username?: string };
}

type Headers = Record<string, string>;

// A streaming handler that answers as `bufferedAnswer` does, through the runtime's prelude.
const streamedAnswer =
  (headers: Headers, runs: { count: number }) =>
  async (_event: unknown, stream: ResponseStreamLike, context: Caller) => {
    runs.count++;
    const out = awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers });
    out.write(JSON.stringify({ hello: context.auth.username }));
    out.end();
  };
const bufferedAnswer = (headers: Headers) => async (_event: unknown, context: Caller) => ({
  statusCode: 200,
  headers,
  body: JSON.stringify({ hello: context.auth.username }),
});

describe('response-streaming handlers', () => {
  const scene = movieGuard();
  const { alice, bob } = scene;

  it('answers a buffered handler’s answer on every request (fast-check differential)', async () => {
    const callers: [string, () => Headers][] = Object.entries({
      none: () => ({}),
      alice: () => ({ Authorization: `Bearer ${alice()}` }),
      bob: () => ({ Authorization: `Bearer ${bob()}` }),
      expired: () => ({ Authorization: `Bearer ${scene.issuer.brokenToken('expired')}` }),
      garbage: () => ({ Authorization: 'Bearer not.a.token' }),
      basic: () => ({ Authorization: 'Basic YWxpY2U6cHc=' }),
      twice: () => ({ Authorization: `Bearer ${alice()}`, authorization: `Bearer ${bob()}` }),
    });
    const sources: [string, (headers: Headers) => HttpEventLike][] = Object.entries({
      'REST proxy': (headers: Headers) => restProxyEvent({ path: '/movies', headers }),
      'Function URL': (headers: Headers) => functionUrlEvent({ path: '/movies', headers }),
      'HTTP API': (headers: Headers) =>
        httpApiEvent({ path: '/movies', routeKey: 'GET /movies', headers }),
    });
    const handlerHeaders = fc.constantFrom<Headers>(
      { 'content-type': 'text/plain' },
      { 'Cache-Control': 'public, max-age=60' },
      { vary: 'Origin' },
      { Vary: 'Origin, Authorization', 'cache-control': 'no-store' },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        fc.constantFrom(...callers),
        handlerHeaders,
        async ([, source], [, caller], headers) => {
          const event = source(caller());
          const runs = { count: 0 };
          const guarded = scene.guard.requireGroups('movies-group');
          const buffered = (await guarded(bufferedAnswer(headers))(
            event,
            lambdaContext(),
          )) as unknown as StreamedResponse;
          const streamed = await invokeStreaming(
            awslambda.streamifyResponse(guarded(streamedAnswer(headers, runs))),
            event,
            lambdaContext(),
          );
          expect(runs.count).toBe(buffered.statusCode === 200 ? 1 : 0);
          expect({ ...streamed, contentType: undefined }).toEqual({
            statusCode: buffered.statusCode,
            headers: buffered.headers,
            body: buffered.body,
            contentType: undefined,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('writes a denial as the runtime’s own HttpResponseStream would, byte for byte', async () => {
    const event = functionUrlEvent({ path: '/movies', token: bob() });
    const guarded = scene.guard.requireGroups('movies-group');
    const stream = new TestResponseStream();
    await guarded.streaming(async () => undefined)(event, stream, lambdaContext());
    expect(stream.writableFinished).toBe(true);
    // What a buffered handler's denial becomes through the runtime's HttpResponseStream.from.
    const { body, statusCode, headers } = (await guarded(async () => undefined)(
      event,
      lambdaContext(),
    )) as HttpResponse;
    const expected = new TestResponseStream();
    awslambda.HttpResponseStream.from(expected, { statusCode, headers }).write(body);
    expect(stream.bytes()).toEqual(expected.bytes());
    const text = stream.bytes().toString('utf8');
    expect(text.startsWith('{"statusCode":403,')).toBe(true);
    expect(text.endsWith(`${'\0'.repeat(8)}{"message":"Forbidden"}`)).toBe(true);
  });

  it('denies before the handler runs, with the 401 and WWW-Authenticate', async () => {
    const runs = { count: 0 };
    const handler = awslambda.streamifyResponse(
      scene.guard.requireGroups('movies-group')(streamedAnswer({}, runs)),
    );
    const answer = await invokeStreaming(handler, functionUrlEvent({ path: '/movies' }));
    expect(runs.count).toBe(0);
    expect(answer).toMatchObject({
      statusCode: 401,
      body: '{"message":"Unauthorized"}',
      contentType: 'application/vnd.awslambda.http-integration-response',
    });
    expect(answer.headers['WWW-Authenticate']).toMatch(/^Bearer realm=/);
  });

  it('is called with the stream whichever side of the guard streamifyResponse wraps', async () => {
    const runs = { count: 0 };
    const inner = scene.guard.requireGroups('movies-group')(
      awslambda.streamifyResponse(streamedAnswer({}, runs)),
    );
    const event = restProxyEvent({ path: '/movies', token: alice() });
    expect(await invokeStreaming(inner, event)).toMatchObject({
      statusCode: 200,
      body: '{"hello":"alice"}',
    });
    const outer = awslambda.streamifyResponse(
      scene.guard.requireGroups('movies-group')(streamedAnswer({}, runs)),
    );
    expect(await invokeStreaming(outer, event)).toMatchObject({ body: '{"hello":"alice"}' });
    expect(runs.count).toBe(2);
  });

  it('marks a prelude’s multi-value headers where the handler uses them (REST)', async () => {
    const handler = awslambda.streamifyResponse(
      scene.guard.requireGroups('movies-group').streaming(async (_event, stream) => {
        const out = awslambda.HttpResponseStream.from(stream, {
          statusCode: 200,
          multiValueHeaders: { Vary: ['Origin'], 'Set-Cookie': ['a=1', 'b=2'] },
        });
        out.write('ok');
        out.end();
      }),
    );
    const answer = await invokeStreaming(
      handler,
      restProxyEvent({ path: '/movies', token: alice() }),
    );
    expect(answer.multiValueHeaders).toEqual({
      Vary: ['Origin, Authorization'],
      'Set-Cookie': ['a=1', 'b=2'],
      'Cache-Control': ['private'],
    });
  });

  it('lets a handler pipe into the stream it is given', async () => {
    const handler = awslambda.streamifyResponse(
      scene.guard.requireGroups('movies-group').streaming(async (_event, stream, context) => {
        const out = awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers: {} });
        const who = context.auth.username;
        await pipeline(Readable.from(['<p>', `${who}`, '</p>']), out as unknown as Writable);
      }),
    );
    const answer = await invokeStreaming(
      handler,
      functionUrlEvent({ path: '/movies', token: alice() }),
    );
    expect(answer).toMatchObject({ statusCode: 200, body: '<p>alice</p>' });
    expect(answer.headers).toEqual({ 'Cache-Control': 'private', Vary: 'Authorization' });
  });

  it('gives an answer written without a prelude one, marked, on an HTTP event only', async () => {
    const handler = awslambda.streamifyResponse(
      scene.guard.requireGroups('movies-group').streaming(async (_event, stream) => {
        stream.setContentType('text/plain');
        stream.write('raw');
        stream.end();
      }),
    );
    const event = functionUrlEvent({ path: '/movies', token: alice() });
    expect(await invokeStreaming(handler, event)).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'private', Vary: 'Authorization' },
      body: 'raw',
      contentType: 'application/vnd.awslambda.http-integration-response',
    });
    // An invocation that is no HTTP request (no requestContext) answers with its own bytes.
    const direct = { headers: { authorization: `Bearer ${alice()}` } };
    expect(await invokeStreaming(handler, direct)).toEqual({
      statusCode: 200,
      headers: {},
      body: 'raw',
      contentType: 'text/plain',
    });
  });

  it('leaves unmarked what no caller was decided for, or privateCache: false', async () => {
    const policy = {
      routes: { 'GET /health': { public: true }, 'GET /movies': { groups: ['movies-group'] } },
    } as const;
    const answer = async (_event: unknown, stream: ResponseStreamLike) => {
      awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers: {} }).write('ok');
      stream.end();
    };
    const guarded = cognitoGuard(scene.issuer.config).guardRoutes(policy).streaming(answer);
    const health = functionUrlEvent({ path: '/health', token: alice() });
    const open = await invokeStreaming(awslambda.streamifyResponse(guarded), health);
    expect([open.statusCode, open.headers, open.body]).toEqual([200, {}, 'ok']);
    const unmarked = cognitoGuard({ ...scene.issuer.config, privateCache: false })
      .requireGroups('movies-group')
      .streaming(answer);
    const movies = functionUrlEvent({ path: '/movies', token: alice() });
    const mine = await invokeStreaming(awslambda.streamifyResponse(unmarked), movies);
    expect([mine.statusCode, mine.headers, mine.body]).toEqual([200, {}, 'ok']);
  });

  it('refuses to run a .streaming() handler called without a stream, naming the fix', async () => {
    const runs = { count: 0 };
    const handler = scene.guard.requireGroups('movies-group').streaming(streamedAnswer({}, runs));
    const call = handler as unknown as (event: unknown, context: unknown) => Promise<unknown>;
    const event = functionUrlEvent({ path: '/movies', token: alice() });
    await expect(call(event, lambdaContext())).rejects.toThrow(
      'called without a stream: export it through awslambda.streamifyResponse',
    );
    expect(runs.count).toBe(0);
  });

  it('answers an event it cannot read with a streamed 400', async () => {
    const runs = { count: 0 };
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    const handler = awslambda.streamifyResponse(
      cognitoGuard({ ...scene.issuer.config, logger }).requireGroups('movies-group')(
        streamedAnswer({}, runs),
      ),
    );
    const event = { ...functionUrlEvent({ path: '/movies' }), headers: { authorization: 7 } };
    const answer = await invokeStreaming(handler, event);
    expect(runs.count).toBe(0);
    expect(answer).toMatchObject({ statusCode: 400 });
    expect(JSON.parse(answer.body)).toEqual({ message: 'Bad Request' });
    expect(warnings).toEqual([expect.stringMatching(/^cognito-guard: refused an event: /)]);
  });

  it('works as Middy middleware in streamifyResponse mode', async () => {
    (globalThis as { awslambda?: unknown }).awslambda = awslambda;
    try {
      const { default: middy } = await import('@middy/core');
      const { executionModeStreamifyResponse } = await import('@middy/core/StreamifyResponse');
      const handler = middy(
        async (_event: unknown, context: { auth?: { username?: string } }) => ({
          statusCode: 200,
          headers: { vary: 'Origin' },
          body: `hello ${context.auth?.username}`,
        }),
        { executionMode: executionModeStreamifyResponse },
      ).use(scene.guard.requireGroups('movies-group'));
      const run = (token?: string) =>
        invokeStreaming(handler as never, functionUrlEvent({ path: '/movies', token }));
      expect(await run(alice())).toMatchObject({
        statusCode: 200,
        headers: { vary: 'Origin, Authorization', 'Cache-Control': 'private' },
        body: 'hello alice',
      });
      expect(await run(bob())).toMatchObject({ statusCode: 403, body: '{"message":"Forbidden"}' });
    } finally {
      delete (globalThis as { awslambda?: unknown }).awslambda;
    }
  });
});
