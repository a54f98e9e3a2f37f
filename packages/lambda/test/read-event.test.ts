// The event reader's contract, field by field (readEvent, readCaller, readHeaders, detectSource):
// where each source puts the method, the path, the query, the stage and the headers, and what an
// event lacking one of them reads as. Guard-level tests prove the decisions; these pin the reading
// they rest on, so that a changed reading fails here by name.

import { AuthError } from '@cognito-guard/core';
import { albEvent, functionUrlEvent, httpApiEvent, restProxyEvent } from '@cognito-guard/testing';
import { detectSource, type HttpEventLike, readEvent } from '../src';
import { readCaller, readHeaders } from '../src/events';

const unreadable = (event: unknown) => {
  try {
    readEvent(event as HttpEventLike);
  } catch (err) {
    return err;
  }
  throw new Error('read');
};

describe('detectSource', () => {
  it('tells each source by its own marks, and a payload 2.0 event without a context is an HTTP API', () => {
    expect(detectSource(httpApiEvent())).toBe('http');
    expect(detectSource(functionUrlEvent())).toBe('function-url');
    expect(detectSource(restProxyEvent())).toBe('rest');
    expect(detectSource(albEvent())).toBe('alb');
    expect(detectSource({ version: '2.0' })).toBe('http');
    expect(detectSource(undefined)).toBe('rest');
  });
});

describe('readEvent', () => {
  it('refuses what is not an object, and an event without a method or path, as a 400 naming it', () => {
    for (const [event, lacking] of [
      ['GET /admin', 'fields'],
      [null, 'fields'],
      [{ version: '2.0' }, 'HTTP method (requestContext.http.method)'],
      [{ version: '2.0', requestContext: { http: { method: 'GET' } } }, 'path (rawPath)'],
      [{ httpMethod: 'GET' }, 'path (path)'],
    ] as const) {
      const err = unreadable(event);
      expect(err).toBeInstanceOf(AuthError);
      expect(err).toMatchObject({
        status: 400,
        code: 'invalid_request',
        reason: 'request_unreadable',
        description: `The event is not an HTTP request: it has no ${lacking}`,
      });
    }
  });

  it('reads a hand-made REST event that has no request context', () => {
    expect(readEvent({ httpMethod: 'POST', path: '/movies' })).toStrictEqual({
      source: 'rest',
      multiValue: false,
      request: { method: 'POST', path: '/movies', routeKey: undefined, headers: {} },
    });
  });

  it('reads an HTTP API path from rawPath before requestContext.http.path', () => {
    const event = httpApiEvent({ path: '/movies' });
    const both = {
      ...event,
      requestContext: { ...event.requestContext, http: { method: 'GET', path: '/else' } },
    };
    expect(readEvent(both).request.path).toBe('/movies');
    expect(readEvent({ ...both, rawPath: undefined }).request.path).toBe('/else');
  });

  it('keeps an HTTP API query as received, and encodes the decoded REST one again', () => {
    const http = { ...httpApiEvent({ path: '/movies' }), rawQueryString: 'a=%41&_method=DELETE' };
    expect(
      readEvent({ ...http, queryStringParameters: { a: 'A', _method: 'DELETE' } }).request.path,
    ).toBe('/movies?a=%41&_method=DELETE');
    const rest = { ...restProxyEvent({ path: '/movies' }), queryStringParameters: { a: 'x y&z' } };
    expect(readEvent({ ...rest, multiValueQueryStringParameters: undefined }).request.path).toBe(
      '/movies?a=x+y%26z',
    );
  });

  it('reads a named HTTP API stage out of the path only where the path begins with it', () => {
    const staged = (rawPath: string, stage: string | undefined) => {
      const event = httpApiEvent({ path: rawPath });
      return { ...event, rawPath, requestContext: { ...event.requestContext, stage } };
    };
    expect(readEvent(staged('/prod/admin', 'prod')).request.path).toBe('/admin');
    // A custom domain's mapping takes the stage out before the function sees the path.
    expect(readEvent(staged('/admin/x', 'prod')).request.path).toBe('/admin/x');
    expect(readEvent(staged('/production/x', 'prod')).request.path).toBe('/production/x');
    // `$default`, and no stage at all, name no segment of the path.
    expect(readEvent(staged('/$default/admin', '$default')).request.path).toBe('/$default/admin');
    expect(readEvent(staged('/undefined/admin', undefined)).request.path).toBe('/undefined/admin');
    expect(readEvent(staged('/prod/admin', undefined)).request.routedUrl).toBeUndefined();
  });

  it('reads a REST path that repeats its stage without it, with or without a selected resource', () => {
    const event = restProxyEvent({ path: '/prod/admin', stage: 'prod' });
    const bare = { ...event, requestContext: { ...event.requestContext, resourcePath: undefined } };
    expect(readEvent(bare).request).toMatchObject({ path: '/prod/admin', routedUrl: '/admin' });
    const unstaged = { ...event, requestContext: { ...event.requestContext, stage: undefined } };
    expect(readEvent({ ...unstaged, path: '/undefined/admin' }).request.routedUrl).toBeUndefined();
    // A payload 1.0 HTTP API event reads its stage out of the path once, as API Gateway does.
    const v1 = httpApiEvent({ version: '1.0', path: '/prod/admin', stage: 'prod' });
    expect(readEvent(v1).request).toMatchObject({ path: '/prod/admin' });
    expect(readEvent(v1).request.routedUrl).toBeUndefined();
  });
});

describe('readCaller', () => {
  it('reads the caller of an event with no method or path, labelled `-`', () => {
    expect(readCaller({ headers: { Authorization: 'Bearer t' } })).toStrictEqual({
      source: 'rest',
      multiValue: false,
      request: { method: '-', path: '-', headers: { authorization: 'Bearer t' } },
    });
  });
});

describe('readHeaders', () => {
  it('lower-cases names, gives one value as a string and several as a list', () => {
    expect(
      readHeaders({ headers: { Authorization: 'Bearer a', authorization: 'Bearer b', X: '1' } }),
    ).toStrictEqual({ authorization: ['Bearer a', 'Bearer b'], x: '1' });
  });

  it('reads the multi-value map when there is one, and drops missing values', () => {
    const multiValueHeaders = { Authorization: ['Bearer a'], X: null, Y: undefined, Z: [] };
    expect(
      readHeaders({ headers: { authorization: 'Bearer b' }, multiValueHeaders } as never),
    ).toStrictEqual({ authorization: 'Bearer a' });
    expect(
      readHeaders({ multiValueHeaders: { A: ['1', null, undefined, '2'] } } as never),
    ).toStrictEqual({
      a: ['1', '2'],
    });
    expect(readHeaders({ headers: { A: null, B: undefined } } as never)).toStrictEqual({});
  });

  it('joins payload 2.0 cookies into one cookie header, as a Cookie header carries them', () => {
    expect(readHeaders({ headers: { x: '1' }, cookies: ['a=1', 'token=t'] })).toStrictEqual({
      x: '1',
      cookie: 'a=1; token=t',
    });
    expect(readHeaders({ cookies: [] })).toStrictEqual({});
  });
});
