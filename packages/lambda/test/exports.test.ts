import { normaliseGroups } from '../src';

describe('@cognito-guard/lambda (skeleton)', () => {
  it('exposes the core claim normaliser used by API Gateway trust mode', () => {
    expect(normaliseGroups('[movies-group shows-group]')).toEqual(['movies-group', 'shows-group']);
    expect(normaliseGroups('movies-group,shows-group')).toEqual(['movies-group', 'shows-group']);
  });
});
