// diagnoseOnce: the adapters' looks at the app around a guard run once, on the first input there
// is, and one that throws on an app of another shape neither stops the others nor the request.

import { diagnoseOnce } from '../src/subpaths/adapter';

describe('diagnoseOnce', () => {
  it('runs every diagnosis once, on the first defined input, even when one throws', () => {
    const seen: string[] = [];
    const check = diagnoseOnce<string>(
      (app) => void seen.push(`first ${app}`),
      () => {
        throw new TypeError('an app of another shape');
      },
      (app) => void seen.push(`third ${app}`),
    );
    check(undefined);
    expect(seen).toEqual([]);
    expect(() => check('app-1')).not.toThrow();
    check('app-2');
    expect(seen).toEqual(['first app-1', 'third app-1']);
  });
});
