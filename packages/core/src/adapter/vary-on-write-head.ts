// A handler may set `Vary` outright (`res.set('Vary', 'Origin')`, `ctx.set`, `reply.header`, or
// headers passed to `res.writeHead`), or remove it, after the guard named its fields there. An
// answer that no longer varies with the caller's credential is one a shared cache in front may
// replay to anyone, so the fields go back on as the headers are written, whatever set them last.

import { varyWith } from './adapter';

/** The part of Node's `ServerResponse` (or HTTP/2's) that writes the status line and headers. */
export interface WriteHeadResponse {
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
  writeHead(statusCode: number, ...rest: unknown[]): unknown;
}

/**
 * Makes the response's `writeHead`, however it is called (by `end()` itself, or by the app with
 * headers of its own), name `fields` in `Vary` beside whatever the app left there.
 *
 * @example
 * ```ts
 * res.setHeader('Vary', options.vary);
 * keepVaryOnWriteHead(res, options.vary); // a later res.set('Vary', 'Origin') sends both
 * ```
 */
export function keepVaryOnWriteHead(res: WriteHeadResponse, fields: string): void {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadNamingVary(this: WriteHeadResponse, ...args: unknown[]) {
    // Node reads headers from the third argument when there is one, else from the second (where
    // a reason phrase, a string, carries none).
    const at = args[2] === undefined ? 1 : 2;
    const given = withVaryNaming(args[at], fields);
    if (given === undefined) {
      const current = this.getHeader('vary');
      if (current !== fields) this.setHeader('Vary', varyWith(current, fields));
    } else args[at] = given;
    return writeHead.apply(this, args as [number, ...unknown[]]);
  };
}

// Headers passed to writeHead override the response's own, so a Vary among them is the one sent:
// a copy of them with every Vary naming the fields, or `undefined` when they carry no Vary.
function withVaryNaming(headers: unknown, fields: string): unknown {
  if (Array.isArray(headers)) {
    // A flat list of names and values; each Vary line gets the fields.
    const indexes = headers.flatMap((name, i) => (i % 2 === 0 && isVary(name) ? [i + 1] : []));
    if (indexes.length === 0) return undefined;
    const copy = [...headers];
    for (const i of indexes) copy[i] = varyWith(copy[i], fields);
    return copy;
  }
  if (headers === null || typeof headers !== 'object') return undefined;
  let copy: Record<string, unknown> | undefined;
  let found = false;
  for (const name of Object.keys(headers)) {
    if (!isVary(name)) continue;
    found = true;
    const value = (headers as Record<string, unknown>)[name];
    const named = varyWith(value, fields);
    // Fastify passes its reply's headers, where the guard's own Vary usually still stands.
    if (named === value) continue;
    copy ??= { ...headers };
    copy[name] = named;
  }
  return found ? (copy ?? headers) : undefined;
}

// The length test first: writeHead's other header names are spared lower-casing.
const isVary = (name: unknown) =>
  typeof name === 'string' && name.length === 4 && name.toLowerCase() === 'vary';
