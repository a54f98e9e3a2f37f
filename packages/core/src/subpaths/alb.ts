// @cognito-guard/core/alb: verify the user claims an Application Load Balancer forwards in
// `x-amzn-oidc-data`, for the `albUserClaims` option. A subpath, so that guards without an ALB
// in front do not bundle aws-jwt-verify's ALB verifier.

export type { AlbUserClaimsOptions } from '../token/alb-user-claims';
export { ALB_DATA_HEADER, albUserClaims } from '../token/alb-user-claims';
