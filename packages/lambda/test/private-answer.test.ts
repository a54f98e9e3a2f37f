// Which results markPrivate marks, and how: every event source's result shapes, the HTTP API's
// inferred answer for a result without a status code included.

import { functionUrlEvent, httpApiEvent, restProxyEvent } from '@cognito-guard/testing';
import { markPrivate } from '../src/private-answer';

const marks = { 'Cache-Control': 'private', Vary: 'Authorization' };

describe('markPrivate', () => {
  const rest = restProxyEvent({ path: '/movies' });
  const http = httpApiEvent({ path: '/movies', routeKey: 'GET /movies' });

  it.each([
    [
      'a proxy result',
      rest,
      { statusCode: 200, body: 'x' },
      { statusCode: 200, body: 'x', headers: marks },
    ],
    [
      'an HTTP API object without a status code',
      http,
      { movies: [] },
      {
        statusCode: 200,
        headers: { 'content-type': 'application/json', ...marks },
        body: '{"movies":[]}',
      },
    ],
    [
      'an HTTP API string',
      http,
      'plain',
      { statusCode: 200, headers: { 'content-type': 'application/json', ...marks }, body: 'plain' },
    ],
    [
      'a Function URL number',
      functionUrlEvent({}),
      7,
      { statusCode: 200, headers: { 'content-type': 'application/json', ...marks }, body: '7' },
    ],
  ])('marks %s', (_name, event, result, expected) => {
    expect(markPrivate(result, event, 'Authorization')).toEqual(expected);
  });

  it.each([
    ['a REST result without a status code', rest, { movies: [] }],
    ['a REST string', rest, 'plain'],
    ['an HTTP API null', http, null],
    ['an HTTP API undefined', http, undefined],
  ])('leaves %s as it is', (_name, event, result) => {
    expect(markPrivate(result, event, 'Authorization')).toBe(result);
  });

  it('marks multi-value headers where a result has them', () => {
    const result = {
      statusCode: 200,
      multiValueHeaders: { Vary: ['Origin'] },
      headers: { 'cache-control': 'no-store' },
    };
    expect(markPrivate(result, rest, 'Authorization')).toEqual({
      ...result,
      multiValueHeaders: { Vary: ['Origin, Authorization'] },
    });
  });
});
