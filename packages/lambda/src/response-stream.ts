// A response-streaming handler (`awslambda.streamifyResponse`) answers through the stream the
// runtime passes it, not through its return value: a denial is written there, as a Function URL
// or API Gateway reads a streamed answer (a JSON metadata prelude, eight NUL bytes, the body), and
// a pass gets a stream whose prelude is marked private on its way out.

import type { Writable } from 'node:stream';
import { withMarkedHeaders } from './private-answer';
import type { HttpResponse } from './responses';

/**
 * The stream the Lambda Node.js runtime passes a response-streaming handler: a Node `Writable`
 * with the runtime's `setContentType`, as `awslambda.HttpResponseStream.from` takes it.
 */
export interface ResponseStreamLike extends Writable {
  setContentType(contentType: string): void;
  /** Set by `awslambda.HttpResponseStream.from`: writes the prelude before the first chunk. */
  _onBeforeFirstWrite?: unknown;
}

/** The metadata prelude `awslambda.HttpResponseStream.from` writes ahead of the body. */
interface Prelude {
  statusCode?: number;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown>;
  cookies?: unknown;
}

// The runtime's marks on a handler it should call with a response stream; a guard around a
// handler already streamified keeps them, so the runtime calls the guard the same way.
const STREAMING = 'aws.lambda.runtime.handler.streaming';
const STREAMING_MARKS = [Symbol.for(STREAMING), Symbol.for(`${STREAMING}.highWaterMark`)];
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/**
 * Whether a handler's second argument is the runtime's response stream: the runtime calls a
 * streaming handler `(event, responseStream, context)`, and no Lambda context has these methods.
 *
 * @example
 * ```ts
 * if (isResponseStream(second)) return streamed(event, second, third);
 * ```
 */
export function isResponseStream(value: unknown): value is ResponseStreamLike {
  const stream = value as Partial<ResponseStreamLike> | null;
  return (
    typeof stream?.setContentType === 'function' &&
    typeof stream.write === 'function' &&
    typeof stream.end === 'function'
  );
}

/**
 * Gives `guarded` the streaming marks `handler` carries, so a guard written around
 * `awslambda.streamifyResponse(handler)` is itself called with the response stream.
 *
 * @example
 * ```ts
 * return keepStreamingMarks(handler, async (event, second, third) => guarded(event, second, third));
 * ```
 */
export function keepStreamingMarks<F extends object>(handler: object, guarded: F): F {
  for (const mark of STREAMING_MARKS) {
    const value = (handler as Record<symbol, unknown>)[mark];
    if (value !== undefined) (guarded as Record<symbol, unknown>)[mark] = value;
  }
  return guarded;
}

/**
 * Writes a denial to a response stream and ends it: the denial's status and headers as the
 * prelude (the bytes the runtime's `awslambda.HttpResponseStream.from` writes), its JSON body
 * after.
 *
 * @example
 * ```ts
 * if ('response' in outcome) return writeStreamedDenial(responseStream, outcome.response);
 * ```
 */
export async function writeStreamedDenial(
  stream: ResponseStreamLike,
  denial: HttpResponse,
): Promise<void> {
  const { statusCode, headers, multiValueHeaders } = denial;
  const out = withPrelude(stream, { statusCode, headers, multiValueHeaders });
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.write(denial.body);
    // The runtime's stream takes no chunk in end(): one there would skip the prelude. Node calls
    // back with the stream's error, if it failed, as well as emitting it.
    out.end((error?: unknown) => (error ? reject(error) : resolve()));
  });
}

function withPrelude(stream: ResponseStreamLike, prelude: Prelude): ResponseStreamLike {
  stream.setContentType(PRELUDE_CONTENT_TYPE);
  writePrelude((chunk) => stream.write(chunk), prelude);
  return stream;
}

// The prelude as the runtime's awslambda.HttpResponseStream.from writes it: JSON, then eight NUL
// bytes, which Function URLs and API Gateway read as its end.
function writePrelude(write: (chunk: string | Uint8Array) => unknown, prelude: Prelude): void {
  write(JSON.stringify(prelude));
  write(new Uint8Array(8));
}

/**
 * The stream a guarded streaming handler writes to: the runtime's own, except that the answer
 * leaves marked private (`Cache-Control: private` unless the handler set its own, and `vary` in
 * `Vary`). The prelude `awslambda.HttpResponseStream.from` writes is marked on its way out. For
 * an HTTP event (`withDefaultPrelude`), a handler that writes none gets one, as a Function URL
 * would read its answer (200, the stream's content type) and marked; an answer it ends without
 * writing gets its prelude too.
 *
 * @example
 * ```ts
 * await handler(event, markingAnswer(responseStream, options.vary, true), context);
 * ```
 */
export function markingAnswer<S extends ResponseStreamLike>(
  stream: S,
  vary: string,
  withDefaultPrelude: boolean,
): S {
  let contentType = 'application/octet-stream';
  let written = false;
  if (withDefaultPrelude) {
    stream.setContentType(PRELUDE_CONTENT_TYPE);
    stream._onBeforeFirstWrite = (write: (chunk: string | Uint8Array) => unknown) => {
      const prelude = { statusCode: 200, headers: { 'Content-Type': contentType } };
      writePrelude(write, withMarkedHeaders(prelude, vary));
    };
  }
  // What the handler's calls become; any other method is the stream's own.
  const own: Partial<Record<PropertyKey, unknown>> = {
    write(...args: unknown[]) {
      written = true;
      return (stream.write as (...args: unknown[]) => unknown)(...args);
    },
    // The runtime writes the prelude before the first chunk written, and ends without one.
    end(...args: unknown[]) {
      if (!written) stream.write('');
      written = true;
      return (stream.end as (...args: unknown[]) => unknown)(...args);
    },
    // The stream keeps the prelude's type (the runtime refuses it after the first write); the
    // handler's own goes in the prelude.
    setContentType(type: string) {
      stream.setContentType(PRELUDE_CONTENT_TYPE);
      if (type !== PRELUDE_CONTENT_TYPE) contentType = type;
    },
  };
  if (!withDefaultPrelude) delete own['setContentType'];
  // A proxy rather than a copy: every other property is the stream's own, and whatever the
  // handler or Node's stream helpers set lands on it. Its methods run on the stream itself, whose
  // private state a proxy cannot reach.
  const bound = new WeakMap<object, unknown>();
  return new Proxy(stream, {
    get(target, key) {
      if (Object.hasOwn(own, key)) return own[key];
      const value: unknown = Reflect.get(target, key);
      // The constructor as it is: its statics (HttpResponseStream.from, say) stay reachable.
      if (typeof value !== 'function' || key === 'constructor') return value;
      if (!bound.has(value)) bound.set(value, value.bind(target));
      return bound.get(value);
    },
    set(target, key, value) {
      const given =
        key === '_onBeforeFirstWrite' && typeof value === 'function'
          ? (write: (chunk: unknown) => unknown) => value(markingPreludeWrites(write, vary))
          : value;
      return Reflect.set(target, key, given);
    },
  });
}

// What HttpResponseStream.from writes through this writer: the prelude, as JSON, then the NUL
// delimiter, as bytes.
const markingPreludeWrites =
  (write: (chunk: unknown) => unknown, vary: string) => (chunk: unknown) =>
    write(typeof chunk === 'string' ? markedPrelude(chunk, vary) : chunk);

function markedPrelude(json: string, vary: string): string {
  let prelude: unknown;
  try {
    prelude = JSON.parse(json);
  } catch {
    return json;
  }
  if (typeof prelude !== 'object' || prelude === null || Array.isArray(prelude)) return json;
  return JSON.stringify(withMarkedHeaders(prelude as Prelude, vary));
}
