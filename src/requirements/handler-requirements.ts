import type { ConditionBlock, Inventory, Phase, Reason, Requirement } from '../model';
import type { Catalog } from './catalog';
import { HANDLER_OPERATIONS } from './phases';
import { trimmedActions, type TrimmedAction } from './trimming';

const CUSTOM_RESOURCE = 'AWS::CloudFormation::CustomResource';
const HANDLERS_SOURCE = 'data/cfn-handler-permissions.json';

export interface HandlerRequirements {
  readonly requirements: Requirement[];
  readonly trimmed: TrimmedAction[];
  readonly warnings: string[];
}

/**
 * What CloudFormation needs, with the deployer's credentials, to run the handlers of every
 * resource type in the inventory for the requested phases. Calls made by CloudFormation carry
 * `aws:CalledVia` (except the exempt ones in data/condition-rules.json); `iam:PassRole` is
 * limited to the services the project's roles trust. Optional actions no template property
 * asks for are trimmed (data/handler-trimming.json); delete handlers of retained resources
 * (DeletionPolicy Retain) are never called.
 */
export function handlerRequirements(
  inventory: Inventory,
  phases: readonly Phase[],
  catalog: Catalog,
): HandlerRequirements {
  const requirements: Requirement[] = [];
  const trimmed: TrimmedAction[] = [];
  const unknownTypes = new Map<string, Set<string>>();
  const passedToServices = [
    ...new Set(inventory.resources.flatMap((r) => r.cfnResources.flatMap((c) => c.trustedServices))),
  ].sort();

  // Shared by every requirement that has the same one: a project of 60,000 resources has
  // millions of requirements, and their conditions and reasons are a handful of distinct values.
  const conditions = new Map<string, ConditionBlock | undefined>();
  const condition = (action: string): ConditionBlock | undefined => {
    if (!conditions.has(action)) conditions.set(action, conditionFor(action, catalog, passedToServices));
    return conditions.get(action);
  };
  for (const resource of inventory.resources) {
    const label =
      resource.category === 'awscloudformation' ? 'root stack' : `${resource.category}/${resource.name}`;
    for (const type of new Set(resource.cfnResources.map((c) => c.type))) {
      const handlerType = type.startsWith('Custom::') ? CUSTOM_RESOURCE : type;
      const handlers = catalog.handlerPermissions[handlerType];
      if (!handlers) {
        const files = unknownTypes.get(type) ?? new Set();
        resource.cfnResources.filter((c) => c.type === type).forEach((c) => files.add(c.template));
        unknownTypes.set(type, files);
        continue;
      }
      const ofType = resource.cfnResources.filter((c) => c.type === type);
      const trim = trimmedActions(ofType, catalog.trimRules[type] ?? [], inventory.features);
      trim.forEach((reason, action) => trimmed.push({ action, resourceType: type, resource: label, reason }));
      const retained = ofType.every((c) => c.retainedOnDelete);
      for (const phase of phases) {
        for (const operation of HANDLER_OPERATIONS[phase]) {
          if (operation === 'delete' && retained) continue;
          const handlerReason: Reason = {
            via: 'cloudformation',
            resource: label,
            detail: `${type} ${operation} handler`,
            source: HANDLERS_SOURCE,
          };
          for (const listed of handlers[operation] ?? []) {
            const correction = catalog.actionCorrections[listed];
            const reason: Reason = correction
              ? { ...handlerReason, detail: `${handlerReason.detail} (lists ${listed}: ${correction.note})` }
              : handlerReason;
            for (const action of correction ? correction.actions : [listed]) {
              if (trim.has(action)) continue;
              requirements.push({ action, phase, condition: condition(action), reason });
            }
          }
        }
      }
    }
  }
  const warnings = [...unknownTypes].map(
    ([type, files]) =>
      `No handler permissions known for ${type} (in ${[...files].sort().join(', ')}): CloudFormation may need permissions the policy does not grant.`,
  );
  return { requirements, trimmed, warnings };
}

function conditionFor(
  action: string,
  catalog: Catalog,
  passedToServices: readonly string[],
): ConditionBlock | undefined {
  const { calledVia, calledViaExempt } = catalog.conditionRules;
  const service = action.split(':')[0];
  const exempt = calledViaExempt.some((rule) => rule.action === action || rule.service === service);
  if (action === 'iam:PassRole') {
    return passedToServices.length > 0
      ? { StringEquals: { 'iam:PassedToService': passedToServices } }
      : undefined;
  }
  return exempt ? undefined : { 'ForAnyValue:StringEquals': { 'aws:CalledVia': [calledVia] } };
}
