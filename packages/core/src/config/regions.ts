// The AWS regions a user pool id may name, so that a typo (`eu-wst-1_…`) fails at start-up and
// not at the first request. A region AWS opens later can be used with an explicit `issuer`.

import { closest } from './did-you-mean';

/** AWS regions (commercial, GovCloud, China, European Sovereign Cloud). */
export const AWS_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eusc-de-east-1',
]);

/**
 * The region a pool id names, when it is not a known AWS region, with the nearest known one.
 *
 * @example
 * ```ts
 * unknownRegion('eu-wst-1_AbC'); // { region: 'eu-wst-1', nearest: 'eu-west-1' }
 * unknownRegion('eu-west-1_AbC'); // undefined
 * ```
 */
export function unknownRegion(
  userPoolId: string,
): { readonly region: string; readonly nearest: string | undefined } | undefined {
  const region = userPoolId.slice(0, userPoolId.indexOf('_'));
  if (AWS_REGIONS.has(region)) return undefined;
  return { region, nearest: closest(region, AWS_REGIONS) };
}
