// Fetches JWKS documents for aws-jwt-verify's JWKS cache, with the limits a request path needs:
// a whole-request timeout, a body-size cap, http:// for loopback emulators, and a fail-fast
// window after a failure so an outage costs clients one quick 503 instead of a pile of hung sockets.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { assertIsJwks } from 'aws-jwt-verify/jwk';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';

/** Options of {@link JwksFetcher}. */
export interface JwksFetcherOptions {
  /** Whole-request timeout, connection to last byte. */
  readonly timeoutMs: number;
  /** Largest body accepted; larger answers are cut off and fail. */
  readonly maxBytes: number;
  /** How long to fail fast after a failed fetch. */
  readonly retryAfterSeconds: number;
  /** Told once when a key server starts failing (with the cause) and once when it recovers. */
  readonly logger?: { warn(message: string): void } | undefined;
  /** Throws for a body that is not keys; default: a JWKS document. ALB keys are PEM. */
  readonly validate?: ((body: string) => void) | undefined;
}

/**
 * A failed JWKS fetch, carrying when a retry is worth it. Subclasses aws-jwt-verify's
 * `FetchError`, so its JWKS cache treats it as it treats its own.
 *
 * @example
 * ```ts
 * if (err instanceof JwksFetchError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
 * ```
 */
export class JwksFetchError extends FetchError {
  readonly retryAfterSeconds: number;
  /** The HTTP status the key server answered with, when it answered. */
  readonly status: number | undefined;
  constructor(uri: string, message: string, retryAfterSeconds: number, status?: number) {
    super(uri, message);
    this.name = 'JwksFetchError';
    this.retryAfterSeconds = retryAfterSeconds;
    this.status = status;
  }
}

/** One key fetch, as {@link JwksFetcher.observers} are told of it. */
export interface JwksFetchEvent {
  readonly uri: string;
  /** When it started, in milliseconds since the epoch. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** The error it failed with; `undefined` when the keys came back valid. */
  readonly error: Error | undefined;
}

/**
 * aws-jwt-verify `Fetcher` used by every guard. Counts its fetches, which tests and operators
 * use to confirm that key fetches are rare.
 *
 * @example
 * ```ts
 * const fetcher = new JwksFetcher({ timeoutMs: 3000, maxBytes: 262144, retryAfterSeconds: 5 });
 * const jwksCache = new SimpleJwksCache({ fetcher });
 * ```
 */
export class JwksFetcher implements Fetcher {
  /** Number of HTTP requests sent so far. */
  fetchCount = 0;
  /** Most body bytes ever held for one response: never more than `maxBytes`. */
  peakBodyBytes = 0;
  /** Told of every fetch sent (telemetry); an observer that throws is ignored. */
  readonly observers: ((fetch: JwksFetchEvent) => void)[] = [];
  /** Given every valid JWKS fetched (`verifyInWorkers` passes it on to its workers). */
  readonly keyListeners: ((uri: string, jwks: string) => void)[] = [];
  private readonly failedUntil = new Map<string, number>();
  /** Key servers whose last fetch failed: one warning per outage, one on recovery. */
  private readonly failing = new Set<string>();

  constructor(private readonly options: JwksFetcherOptions) {}

  async fetch(uri: string): Promise<ArrayBuffer> {
    const blockedUntil = this.failedUntil.get(uri);
    const now = Date.now();
    if (blockedUntil !== undefined && now < blockedUntil) {
      throw new JwksFetchError(
        uri,
        'recent fetch failed; not retrying yet',
        (blockedUntil - now) / 1000,
      );
    }
    const startedAt = Date.now();
    const started = performance.now();
    try {
      const body = await this.get(uri);
      // Validated here too, so that garbage (an HTML error page) counts as a failed fetch and
      // starts the fail-fast window, rather than surfacing later as a token error.
      const text = new TextDecoder('utf8', { fatal: true }).decode(body);
      if (this.options.validate) this.options.validate(text);
      else assertIsJwks(safeJsonParse(text));
      this.tell(uri, startedAt, started, undefined);
      for (const listener of this.keyListeners) listener(uri, text);
      this.failedUntil.delete(uri);
      if (this.failing.delete(uri)) {
        this.options.logger?.warn(`cognito-guard: signing keys at ${uri} are reachable again`);
      }
      return body;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.tell(uri, startedAt, started, err instanceof Error ? err : new Error(message));
      // aws-jwt-verify's errors already start with the prefix its FetchError adds again.
      const cause = message.replace(`Failed to fetch ${uri}: `, '');
      if (!this.failing.has(uri)) {
        this.failing.add(uri);
        this.options.logger?.warn(
          `cognito-guard: cannot fetch signing keys from ${uri}: ${cause}. Requests that need them get 503 until it recovers; check COGNITO_ISSUER / COGNITO_JWKS_URI if this persists`,
        );
      }
      const retryAfter = this.options.retryAfterSeconds;
      if (retryAfter > 0) this.failedUntil.set(uri, Date.now() + retryAfter * 1000);
      const status = (err as { status?: unknown }).status;
      throw new JwksFetchError(
        uri,
        cause,
        Math.max(retryAfter, 1),
        typeof status === 'number' ? status : undefined,
      );
    }
  }

  private tell(uri: string, startedAt: number, started: number, error: Error | undefined): void {
    if (this.observers.length === 0) return;
    const event = { uri, startedAt, durationMs: performance.now() - started, error };
    for (const observer of this.observers) {
      try {
        observer(event);
      } catch {
        // Telemetry must never decide a request.
      }
    }
  }

  private get(uri: string): Promise<ArrayBuffer> {
    const { timeoutMs, maxBytes } = this.options;
    return new Promise((resolve, reject) => {
      const url = new URL(uri);
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      this.fetchCount++;
      const req = send(url, { method: 'GET', headers: { accept: 'application/json' } });
      const timer = setTimeout(
        () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref?.();
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      req.on('error', fail);
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          fail(
            Object.assign(new NonRetryableFetchError(uri, `status ${String(res.statusCode)}`), {
              status: res.statusCode,
            }),
          );
          req.destroy();
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(new Error(`body of ${declared} bytes exceeds ${maxBytes}`));
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(new Error(`body exceeds ${maxBytes} bytes`));
            req.destroy();
            return;
          }
          chunks.push(chunk);
          if (size > this.peakBodyBytes) this.peakBodyBytes = size;
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          resolve(
            body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
          );
        });
      });
      req.end();
    });
  }
}
