import type { ConditionBlock, Grant } from '../model';
import { withStringEquals } from './conditions';

/**
 * Pins requests to the project's region with `aws:RequestedRegion` where the ARN cannot:
 * resources on `*`, ARNs with a `*` region, and ARNs without a region field (S3). ARNs that
 * already name the region need no condition. Global services (data/global-services.json)
 * are requested in us-east-1 and never get one.
 */
export function pinToRegion(
  grants: readonly Grant[],
  region: string | undefined,
  globalServices: readonly string[],
): Grant[] {
  if (!region) return [...grants];
  const global = new Set(globalServices);
  // One pinned condition per distinct condition: grants share them.
  const pinned = new Map<ConditionBlock | undefined, ConditionBlock>();
  const pin = (condition: ConditionBlock | undefined): ConditionBlock => {
    let result = pinned.get(condition);
    if (!result) {
      result = withStringEquals(condition, 'aws:RequestedRegion', region);
      pinned.set(condition, result);
    }
    return result;
  };
  return grants.map((grant) => {
    const service = grant.action.split(':')[0];
    if (global.has(service) || regionInArn(grant.resource)) return grant;
    const { action, resource, origins } = grant;
    return { action, resource, condition: pin(grant.condition), origins };
  });
}

/** True when the ARN pattern names one region (its fourth field has no wildcard and is not empty). */
function regionInArn(resource: string): boolean {
  const region = resource.split(':')[3];
  return region !== undefined && region !== '' && !region.includes('*');
}
