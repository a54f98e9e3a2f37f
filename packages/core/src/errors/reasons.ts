// The machine-readable reasons a decision can carry. Stable strings: safe to log, alert and switch on.

/** Why a request was allowed. */
export type AllowReason = 'rule_satisfied' | 'public_route' | 'default_allow' | 'anonymous';

/** Why a request was denied. */
export type DenyReason =
  // 400 invalid_request
  | 'malformed_authorization'
  | 'multiple_tokens'
  | 'non_canonical_path'
  | 'body_unreadable'
  | 'request_unreadable'
  // 401 without an error code
  | 'token_missing'
  // 401 invalid_token
  | 'token_too_large'
  | 'token_malformed'
  | 'alg_not_allowed'
  | 'signature_invalid'
  | 'kid_unknown'
  | 'issuer_invalid'
  | 'wrong_token_use'
  | 'client_invalid'
  | 'exp_missing'
  | 'token_not_yet_valid'
  | 'claims_invalid'
  | 'token_invalid'
  | 'token_expired'
  | 'token_not_canonical'
  | 'token_revoked'
  // 403 insufficient_scope
  | 'group_missing'
  | 'groups_ambiguous'
  | 'group_denied'
  | 'scope_missing'
  | 'claim_mismatch'
  | 'claims_ambiguous'
  | 'token_use_not_allowed'
  | 'caller_not_allowed'
  | 'rule_failed'
  | 'rule_error'
  | 'hook_error'
  | 'route_denied'
  // 403 without an error code
  | 'cross_site_request'
  // 503
  | 'keys_unavailable'
  | 'revocation_unavailable'
  | 'verifier_unavailable';

/** Every reason a decision can carry. */
export type DecisionReason = AllowReason | DenyReason;
