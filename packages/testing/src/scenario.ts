// The movies/shows scenario every example, demo and adapter suite shares: who is in which group,
// and what each of them may call.

/** alice likes movies, bob shows, carol both, dave neither. */
export const MOVIE_USERS: Readonly<Record<'alice' | 'bob' | 'carol' | 'dave', readonly string[]>> =
  Object.freeze({
    alice: Object.freeze(['movies-group']),
    bob: Object.freeze(['shows-group']),
    carol: Object.freeze(['movies-group', 'shows-group']),
    dave: Object.freeze([]),
  });

/**
 * The status each user must get on each route of the scenario: `/movies` needs `movies-group`,
 * `/shows` needs `shows-group`, `/health` is public.
 *
 * @example
 * ```ts
 * for (const [user, groups] of Object.entries(MOVIE_USERS)) {
 *   expect(await status(user, '/movies')).toBe(expectedMovieStatus(groups, '/movies'));
 * }
 * ```
 */
export function expectedMovieStatus(
  groups: readonly string[],
  route: '/movies' | '/shows' | '/health',
): 200 | 403 {
  if (route === '/health') return 200;
  return groups.includes(route === '/movies' ? 'movies-group' : 'shows-group') ? 200 : 403;
}
