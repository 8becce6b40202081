import type { ConditionBlock } from '../model';
import type { ScopedRequirement } from './scope';
import { withStringEquals } from './statements';

/**
 * Pins requests to the project's region with `aws:RequestedRegion` where the ARN cannot:
 * resources on `*`, ARNs with a `*` region, and ARNs without a region field (S3). ARNs that
 * already name the region need no condition. Global services (data/global-services.json)
 * are requested in us-east-1 and never get one.
 */
export function pinToRegion(
  requirements: readonly ScopedRequirement[],
  region: string | undefined,
  globalServices: readonly string[],
): ScopedRequirement[] {
  if (!region) return [...requirements];
  const global = new Set(globalServices);
  // One pinned condition per distinct condition: requirements share them (millions in a big project).
  const pinned = new Map<ConditionBlock | undefined, ConditionBlock>();
  const pin = (condition: ConditionBlock | undefined): ConditionBlock => {
    let result = pinned.get(condition);
    if (!result) {
      result = withStringEquals(condition, 'aws:RequestedRegion', region);
      pinned.set(condition, result);
    }
    return result;
  };
  return requirements.map((requirement) => {
    const service = requirement.action.split(':')[0];
    if (global.has(service) || regionInArn(requirement.resource)) return requirement;
    const { action, resource, phase, reason } = requirement;
    return { action, resource, condition: pin(requirement.condition), phase, reason };
  });
}

/** True when the ARN pattern names one region (its fourth field has no wildcard and is not empty). */
function regionInArn(resource: string): boolean {
  const region = resource.split(':')[3];
  return region !== undefined && region !== '' && !region.includes('*');
}
