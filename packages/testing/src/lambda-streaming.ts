// The Lambda Node.js runtime's side of response streaming, which does not run outside Lambda: the
// `awslambda` global it installs, a response stream that behaves as its own, and an invoker that
// runs a streaming handler as the runtime does and reads the answer as a Function URL or API
// Gateway does (a JSON metadata prelude, eight NUL bytes, the body). Modelled on
// aws-lambda-nodejs-runtime-interface-client's HttpResponseStream, ResponseStream and Runtime.

import { once } from 'node:events';
import { Writable } from 'node:stream';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER_LENGTH = 8;

/** What a Function URL or API Gateway makes of a streamed answer. */
export interface StreamedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly multiValueHeaders?: Readonly<Record<string, unknown>>;
  readonly cookies?: readonly string[];
  readonly body: string;
  /** The stream's content type: the prelude's type when the handler wrote one. */
  readonly contentType: string;
}

/**
 * A response stream as the runtime passes a streaming handler, recording what it is sent.
 * `invokeStreaming` makes one per call; make one by hand to call a handler yourself.
 *
 * @example
 * ```ts
 * const stream = new TestResponseStream();
 * await awslambda.streamifyResponse(handler)(functionUrlEvent({ token }), stream, lambdaContext());
 * stream.response(); // { statusCode: 200, headers: {…}, body: '…', contentType: '…' }
 * ```
 */
export class TestResponseStream extends Writable {
  /** Set by `HttpResponseStream.from`; the runtime's stream calls it before the first write. */
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;
  #contentType = 'application/octet-stream';
  #written = false;
  readonly #chunks: Buffer[] = [];

  /** As the runtime's: only before the first write. */
  setContentType(contentType: string): void {
    if (this.#written) throw new Error('Cannot set content-type, too late.');
    this.#contentType = contentType;
  }

  override write(chunk: unknown, ...rest: never[]): boolean {
    const data =
      typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!this.#written) {
      this.#written = true;
      this._onBeforeFirstWrite?.((early) => super.write(early));
    }
    return super.write(data, ...rest);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.#chunks.push(chunk);
    done();
  }

  /** Every byte written, the prelude and its delimiter included. */
  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** The answer as a Function URL or API Gateway reads what was written. */
  response(): StreamedResponse {
    const bytes = this.bytes();
    const contentType = this.#contentType;
    if (contentType !== PRELUDE_CONTENT_TYPE)
      return { statusCode: 200, headers: {}, body: bytes.toString('utf8'), contentType };
    const end = bytes.indexOf(Buffer.alloc(DELIMITER_LENGTH));
    if (end < 0) throw new Error('the prelude is not followed by eight NUL bytes');
    const prelude = JSON.parse(bytes.subarray(0, end).toString('utf8'));
    const body = bytes.subarray(end + DELIMITER_LENGTH).toString('utf8');
    return { headers: {}, ...prelude, statusCode: prelude.statusCode ?? 200, body, contentType };
  }
}

/**
 * The `awslambda` global the Lambda Node.js runtime installs: `streamifyResponse` and
 * `HttpResponseStream`. Assign it to `globalThis.awslambda` in a test of a streaming handler.
 *
 * @example
 * ```ts
 * import { requireGroups } from '@cognito-guard/lambda';
 * Object.assign(globalThis, { awslambda });
 * export const handler = awslambda.streamifyResponse(requireGroups('movies-group')(stream));
 * ```
 */
export const awslambda = {
  streamifyResponse<F extends object>(handler: F, options?: { highWaterMark?: number }): F {
    const marks = handler as Record<symbol, unknown>;
    marks[STREAMING] = 'response';
    if (typeof options?.highWaterMark === 'number') marks[HIGH_WATER_MARK] = options.highWaterMark;
    return handler;
  },
  HttpResponseStream: {
    from<S extends { setContentType(type: string): void }>(stream: S, prelude: object): S {
      stream.setContentType(PRELUDE_CONTENT_TYPE);
      const json = JSON.stringify(prelude);
      (stream as { _onBeforeFirstWrite?: unknown })._onBeforeFirstWrite = (
        write: (chunk: string | Uint8Array) => void,
      ) => {
        write(json);
        write(new Uint8Array(DELIMITER_LENGTH));
      };
      return stream;
    },
  },
};

/**
 * Runs a streaming handler as the Lambda runtime does: it must be marked by `streamifyResponse`,
 * return a promise, and have ended its stream when that settles. Answers what the client gets.
 *
 * @example
 * ```ts
 * const answer = await invokeStreaming(handler, functionUrlEvent({ headers }));
 * expect(answer.statusCode).toBe(401);
 * ```
 */
export async function invokeStreaming(
  handler: (event: never, responseStream: never, context: never) => unknown,
  event: unknown,
  context: object = {},
): Promise<StreamedResponse> {
  if ((handler as unknown as Record<symbol, unknown>)[STREAMING] !== 'response')
    throw new TypeError('not a streaming handler: wrap it in awslambda.streamifyResponse');
  const stream = new TestResponseStream();
  const call = handler as (event: unknown, stream: TestResponseStream, context: object) => unknown;
  const pending = call(event, stream, context);
  if (!(pending instanceof Promise))
    throw new Error('Streaming does not support non-async handlers.');
  await pending;
  // The runtime waits for its upload to complete, which an ended stream finishes.
  if (stream.writableEnded && !stream.writableFinished) await once(stream, 'finish');
  if (!stream.writableFinished) throw new Error('Response stream is not finished.');
  return stream.response();
}
