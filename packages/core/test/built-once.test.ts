// builtOnce defers a schema's construction to its first use and then always answers that one
// value: a schema built twice would cost a cold start twice, and a second instance would not be
// the one a differential test checked.

import * as z from 'zod/mini';
import { builtOnce } from '../src/shared/built-once';

describe('builtOnce', () => {
  it('builds nothing until asked, then builds once and answers the same value every time', () => {
    let builds = 0;
    const schema = builtOnce(() => {
      builds++;
      return z.string();
    });
    expect(builds).toBe(0);
    const first = schema();
    expect(schema()).toBe(first);
    expect(schema()).toBe(first);
    expect(builds).toBe(1);
    expect(first.safeParse('x').success).toBe(true);
  });

  it('builds again after a builder that threw, rather than remembering the failure', () => {
    let calls = 0;
    const flaky = builtOnce(() => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return calls;
    });
    expect(() => flaky()).toThrow('not yet');
    expect(flaky()).toBe(2);
    expect(flaky()).toBe(2);
  });
});
