// The handler factories every adapter exports, by name: the tests that call each of them.

export const FACTORIES = [
  'requireGroups',
  'requireAllGroups',
  'requireScopes',
  'requireClaim',
  'authorize',
  'authenticate',
  'guardRoutes',
] as const;
