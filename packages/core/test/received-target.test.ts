// What a Fetch adapter reads as the target received, beside the URL of the Request it is handed
// (which a mount or a rewrite may have changed): each transport's field, and nothing that is not
// a request target. And what an Express app that mounted another framework's app left on Node's
// request.

import { expressMount, readFetchRequest, receivedTarget } from '../src/subpaths/adapter';

describe('receivedTarget', () => {
  it("reads Node's url, or Express's originalUrl when an Express app mounted the server", () => {
    expect(receivedTarget({ incoming: { url: '/users?page=2' } })).toEqual({
      target: '/users?page=2',
    });
    expect(
      receivedTarget({
        incoming: { url: '/users', originalUrl: '/admin/users', baseUrl: '/admin' },
      }),
    ).toEqual({ target: '/admin/users', mountPath: '/admin' });
    expect(receivedTarget({ incoming: { url: 'http://example.test/admin' } })).toEqual({
      target: 'http://example.test/admin',
    });
  });

  it("reads an HTTP API event's rawPath and any other event's path, as hono/aws-lambda does", () => {
    const http = { http: { method: 'GET' } };
    expect(
      receivedTarget({ event: { rawPath: '/admin/users', path: '/x', requestContext: http } }),
    ).toEqual({ target: '/admin/users' });
    // A REST API event (payload 1.0) has a path and no rawPath; an ALB event no http context.
    expect(receivedTarget({ event: { path: '/admin/users', requestContext: {} } })).toEqual({
      target: '/admin/users',
    });
    expect(
      receivedTarget({ event: { rawPath: '/raw', path: '/admin', requestContext: null } }),
    ).toEqual({ target: '/admin' });
  });

  it('says nothing of a transport it does not know, or of a field that is no request target', () => {
    expect(receivedTarget(undefined)).toBeUndefined();
    expect(receivedTarget({})).toBeUndefined();
    expect(receivedTarget({ incoming: { url: 42 } })).toBeUndefined();
    expect(receivedTarget({ incoming: { url: 'admin/users' } })).toBeUndefined();
    expect(receivedTarget({ incoming: { url: '*' } })).toBeUndefined();
    expect(
      receivedTarget({ incoming: { url: 'proxy:http://example.test/admin' } }),
    ).toBeUndefined();
    expect(receivedTarget({ event: { path: ['/admin'] } })).toBeUndefined();
    expect(
      receivedTarget({ event: { rawPath: 7, path: '/p', requestContext: { http: {} } } }),
    ).toEqual({ target: '/p' });
  });
});

describe('readFetchRequest with the target received', () => {
  const request = new Request('http://example.test/users?page=2');

  it('reads the target received as the path, and the URL as the one routed', () => {
    expect(readFetchRequest(request, undefined, {}, '/admin/users?page=2')).toMatchObject({
      path: '/admin/users?page=2',
      routedUrl: '/users?page=2',
    });
  });

  it("takes the query from the Request's URL when the target came without it (a Lambda event's path)", () => {
    expect(readFetchRequest(request, undefined, {}, '/admin/users').path).toBe(
      '/admin/users?page=2',
    );
    expect(
      readFetchRequest(new Request('http://example.test/users'), undefined, {}, '/admin/users')
        .path,
    ).toBe('/admin/users');
  });

  it('without a target received, reads the URL as the path and leaves the routed URL unset', () => {
    expect(readFetchRequest(request, undefined, {})).toMatchObject({
      path: '/users?page=2',
      routedUrl: undefined,
    });
  });
});

describe('expressMount', () => {
  it("reads the path received and Express's mount from a request an Express app mounted", () => {
    expect(expressMount({ originalUrl: '/admin/users?x=1', baseUrl: '/admin' })).toEqual({
      target: '/admin/users?x=1',
      mountPath: '/admin',
    });
    // Express at its root (an app.use without a path) sets originalUrl and an empty baseUrl.
    expect(expressMount({ originalUrl: '/users', baseUrl: '' })).toEqual({
      target: '/users',
      mountPath: '',
    });
    expect(expressMount({ originalUrl: '/users' })).toEqual({ target: '/users', mountPath: '' });
  });

  it('says nothing of a request no Express app handled, or of fields of another type', () => {
    expect(expressMount({})).toBeUndefined();
    expect(expressMount({ originalUrl: 42, baseUrl: '/admin' })).toBeUndefined();
    expect(expressMount({ originalUrl: 'users' })).toBeUndefined();
    expect(expressMount({ originalUrl: '/users', baseUrl: 7 })).toEqual({
      target: '/users',
      mountPath: '',
    });
  });
});
