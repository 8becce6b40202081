import type { Inventory, Phase, ProjectContext, Requirement, UnknownType } from '../model';
import { deploymentNames } from '../discovery/deployment-names';
import type { Catalog } from '../catalog/schemas';
import { cliRequirements } from './cli-requirements';
import { handlerRequirements } from './handler-requirements';
import type { TrimmedAction } from './trimming';
import type { Warning } from '../results';

export interface CollectedRequirements {
  readonly requirements: readonly Requirement[];
  /** Optional handler actions no template property asks for. */
  readonly trimmed: readonly TrimmedAction[];
  readonly warnings: readonly Warning[];
  /** Resource types the policy grants nothing for. */
  readonly unknownTypes: readonly UnknownType[];
}

/** Every permission the phases need: the CLI's own calls plus CloudFormation's handler permissions. */
export function collectRequirements(
  context: ProjectContext,
  inventory: Inventory,
  phases: readonly Phase[],
  catalog: Catalog,
): CollectedRequirements {
  // Resources the push removes are CloudFormation's business only (their delete handlers).
  const entries = inventory.resources.filter((r) => r.category !== 'awscloudformation' && !r.removed);
  const names = deploymentNames(context);
  const fromCli = cliRequirements(catalog.cliCalls, phases, { entries, features: inventory.features }, names);
  const fromHandlers = handlerRequirements(inventory, phases, catalog, names);
  return {
    requirements: [...fromCli, ...fromHandlers.requirements],
    trimmed: fromHandlers.trimmed,
    warnings: fromHandlers.warnings,
    unknownTypes: fromHandlers.unknownTypes,
  };
}
