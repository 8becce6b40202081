import type { DeployedChange, Phase } from '../model';
import type { StatefulTypes } from '../catalog/schemas';
import { warning, type Warning } from '../results';

/** A resource holding data that the next push removes or replaces. */
export interface StatefulRemoval {
  /** `category/name` of the backend-config entry. */
  readonly resource: string;
  readonly logicalId: string;
  readonly type: string;
  readonly change: 'removed' | 'replaced';
  /** The create-only properties whose change replaces it. */
  readonly properties?: readonly string[];
  /** What deleting it destroys (data/stateful-types.json). */
  readonly holds: string;
  /** The deployed template that declares it. */
  readonly template: string;
}

/**
 * The stateful resources (data/stateful-types.json; unlisted types count as stateful) among the
 * deployed resources the next push removes or replaces, except those CloudFormation keeps
 * (DeletionPolicy or UpdateReplacePolicy Retain). A policy for push cannot delete them.
 */
export function statefulRemovals(
  changes: readonly DeployedChange[],
  statefulTypes: StatefulTypes,
): StatefulRemoval[] {
  return changes.flatMap((change) => {
    if (change.retained || change.type.startsWith('Custom::')) return [];
    const rule = statefulTypes.types[change.type] ?? { stateful: true, reason: statefulTypes.unlistedReason };
    if (!rule.stateful) return [];
    return [
      {
        resource: change.resource,
        logicalId: change.logicalId,
        type: change.type,
        change: change.change,
        ...(change.properties ? { properties: change.properties } : {}),
        holds: rule.reason,
        template: change.template,
      },
    ];
  });
}

/** One warning per removal: what happens to the data with the phases granted, and what to run. */
export function removalWarning(removal: StatefulRemoval, phases: readonly Phase[]): Warning {
  const what =
    removal.change === 'removed'
      ? `removes ${removal.type} ${removal.logicalId} of ${removal.resource}`
      : `replaces ${removal.type} ${removal.logicalId} of ${removal.resource} (${(removal.properties ?? []).join(', ')} changed: a new, empty copy is created)`;
  const fate = phases.includes('delete')
    ? `with phase delete this policy lets CloudFormation delete the old copy, which destroys its data (${removal.holds})`
    : `a policy for ${phases.join(',')} cannot delete the old copy (${removal.holds}), so CloudFormation leaves it behind`;
  return warning('stateful-removal', `The next push ${what}: ${fate}.`);
}
