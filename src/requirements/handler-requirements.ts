import type {
  ConditionBlock,
  HandlerOperation,
  Inventory,
  Phase,
  Reason,
  Requirement,
  UnknownType,
} from '../model';
import { resourceLabel } from '../inventory/resource-label';
import { fillTemplate, type DeploymentNames } from '../discovery/deployment-names';
import { ADDITIONS_FILE, SERVICE_LINKED_ROLES_FILE } from '../catalog/catalog';
import type { Catalog, HandlerAddition } from '../catalog/schemas';
import {
  planPhase,
  prepareLists,
  SERVICE_LINKED_ROLE_ACTIONS,
  type PhasePlan,
  type PreparedLists,
} from './handler-lists';
import { HANDLER_OPERATIONS, STATELESS_DELETES_ONLY } from './phases';
import { ruleDecisions, serviceLinkedRoleTargets, type RoleTargets, type TrimmedAction } from './trimming';
import { warning, type Warning } from '../results';

const CUSTOM_RESOURCE = 'AWS::CloudFormation::CustomResource';
const NOT_IN_REGISTRY =
  'not a type of the CloudFormation registry (data/cfn-handler-permissions/) nor a curated one';
const NO_HANDLERS =
  'its registry schema lists no handler permissions (a legacy provider) and none are curated';
/** Actions on service-linked roles: granted on the roles data/service-linked-roles.json names. */
const CREATE_SLR = 'iam:CreateServiceLinkedRole';

const SLR_ARN = 'arn:${Partition}:iam::${Account}:role/aws-service-role/';

export interface HandlerRequirements {
  readonly requirements: Requirement[];
  readonly trimmed: TrimmedAction[];
  readonly warnings: Warning[];
  /** Types the policy grants nothing for: the guard blocks on them in mode block. */
  readonly unknownTypes: UnknownType[];
}

/**
 * What CloudFormation needs, with the deployer's credentials, to run the handlers of every
 * resource type in the inventory for the requested phases: the registry's handler lists
 * (data/cfn-handler-permissions/), the actions they omit (data/cfn-handler-additions.json), with
 * names that are not IAM actions corrected (data/action-corrections*.json). Calls made by
 * CloudFormation carry `aws:CalledVia` (except the exempt ones in data/condition-rules.json);
 * `iam:PassRole` is limited to the services the project's roles trust. Optional actions no
 * template property asks for are trimmed (data/handler-trimming.json), and a kept one says which
 * property asks for it; service-linked roles are created only for the types and properties that
 * need them, on their own ARNs, for their service (data/service-linked-roles.json); delete handlers of
 * retained resources (DeletionPolicy Retain) are never called; push and init run the delete
 * handlers of stateless types only (data/stateful-types.json), the others are trimmed. Resources
 * the next push removes (inventory `removed`) need only their delete handlers.
 */
export function handlerRequirements(
  inventory: Inventory,
  phases: readonly Phase[],
  catalog: Catalog,
  names: DeploymentNames,
): HandlerRequirements {
  const requirements: Requirement[] = [];
  const trimmed: TrimmedAction[] = [];
  const unknown = new Map<string, { resources: Set<string>; templates: Set<string>; reason: string }>();
  const passedToServices = [
    ...new Set(inventory.resources.flatMap((r) => r.cfnResources.flatMap((c) => c.trustedServices))),
  ].sort();

  // Each type's lists with corrections applied, made once per type.
  const prepared = new Map<string, PreparedLists | undefined>();
  const listsOf = (handlerType: string): PreparedLists | undefined => {
    if (!prepared.has(handlerType)) prepared.set(handlerType, prepareLists(handlerType, catalog));
    return prepared.get(handlerType);
  };
  // Shared by every requirement that has the same one: a project of 60,000 resources has
  // millions of requirements, and their conditions are a handful of distinct values.
  const conditions = new Map<string, ConditionBlock | undefined>();
  const conditionOf = (action: string): ConditionBlock | undefined => {
    if (!conditions.has(action)) conditions.set(action, conditionFor(action, catalog, passedToServices));
    return conditions.get(action);
  };
  const plans = new Map<string, PhasePlan>();
  for (const resource of inventory.resources) {
    const label = resourceLabel(resource);
    for (const type of new Set(resource.cfnResources.map((c) => c.type))) {
      const handlerType = type.startsWith('Custom::') ? CUSTOM_RESOURCE : type;
      const lists = listsOf(handlerType);
      const ofType = resource.cfnResources.filter((c) => c.type === type);
      if (!lists) {
        const record = unknown.get(type) ?? {
          resources: new Set<string>(),
          templates: new Set<string>(),
          reason: catalog.resourceTypes.get(handlerType) ? NO_HANDLERS : NOT_IN_REGISTRY,
        };
        record.resources.add(label);
        ofType.forEach((c) => record.templates.add(c.template));
        unknown.set(type, record);
        continue;
      }
      const decisions = ruleDecisions(ofType, catalog.trimRules[type] ?? [], inventory.features, resource);
      const roleTargets = serviceLinkedRoleTargets(ofType, catalog.serviceLinkedRoles[type] ?? []);
      const dropped = new Map(decisions.trimmed);
      if (roleTargets.kind === 'none')
        for (const action of SERVICE_LINKED_ROLE_ACTIONS) dropped.set(action, roleTargets.reason);
      // IAM action names are case-insensitive (the registry writes cloudfront:updateDistribution).
      const trim = byLowerCase(dropped);
      const kept = byLowerCase(decisions.kept);
      dropped.forEach((reason, action) => {
        if (lists.listedNames.has(action.toLowerCase()))
          trimmed.push({ action, resourceType: type, resource: label, reason });
      });
      const retained = ofType.every((c) => c.retainedOnDelete);
      const stateful = statefulRule(handlerType, catalog);
      const trimKey = [...trim.keys()].sort().join(',');
      for (const phase of phases) {
        const operations = resource.removed
          ? HANDLER_OPERATIONS[phase].filter((op) => op === 'delete')
          : HANDLER_OPERATIONS[phase];
        const keepsData = stateful.stateful && STATELESS_DELETES_ONLY.includes(phase);
        // Resources of a type with the same trims need the same actions: planned once.
        const planKey = `${type}|${phase}|${resource.removed === true}|${retained}|${trimKey}`;
        let plan = plans.get(planKey);
        if (!plan) {
          plan = planPhase(type, lists, operations, retained || keepsData, trim);
          plans.set(planKey, plan);
        }
        const emitted = new Set<string>();
        for (const { listed, operations: ops, summary, detail } of plan) {
          const { action, lower } = listed;
          emitted.add(action);
          const askedBy = kept.get(lower);
          const reason = {
            via: 'cloudformation' as const,
            resource: label,
            resourceType: type,
            operations: ops,
            summary,
            detail: askedBy ? `${detail} (for ${askedBy}: data/handler-trimming.json)` : detail,
            source: listed.reasonSource,
          };
          const condition = conditionOf(action);
          if (listed.serviceLinkedRole) {
            requirements.push(
              ...serviceLinkedRoleRequirements(action, phase, condition, reason, roleTargets, names),
            );
          } else {
            requirements.push({ action, phase, condition, reason });
          }
        }
        for (const addition of catalog.handlerAdditions[handlerType] ?? [])
          requirements.push(
            ...authorizedElsewhere(addition, operations, trim, names).map(({ action, resource, reason }) => ({
              action,
              resource,
              phase,
              condition: conditionOf(action),
              reason: { ...reason, resource: label, resourceType: type },
            })),
          );
        if (keepsData && !retained && operations.includes('delete')) {
          for (const { action } of lists.delete ?? []) {
            if (emitted.has(action) || trim.has(action.toLowerCase())) continue;
            emitted.add(action);
            trimmed.push({
              action,
              resourceType: type,
              resource: label,
              reason: `deleting ${type} destroys data (${stateful.reason}): left to the delete phase (\`--phases ${phase},delete\` grants it)`,
            });
          }
        }
      }
    }
  }
  const unknownTypes = [...unknown].map(([type, r]) => ({
    type,
    resources: [...r.resources].sort(),
    templates: [...r.templates].sort(),
    reason: r.reason,
  }));
  const warnings = unknownTypes.map((u) =>
    warning(
      'unknown-type',
      `No handler permissions known for ${u.type} (in ${u.templates.join(', ')}): ${u.reason}. CloudFormation will need permissions the policy does not grant; the guard blocks a push in mode block.`,
    ),
  );
  return { requirements, trimmed, warnings, unknownTypes };
}

/**
 * A handler's service-linked role action, on the ARN of each role the resources need and, for
 * creation, only for that role's service (iam:AWSServiceName); on every service-linked role's
 * ARN when the type is not in data/service-linked-roles.json.
 */
function serviceLinkedRoleRequirements(
  action: string,
  phase: Phase,
  condition: ConditionBlock | undefined,
  reason: Requirement['reason'],
  targets: RoleTargets,
  names: DeploymentNames,
): Requirement[] {
  if (targets.kind === 'none') return [];
  if (targets.kind === 'unlisted')
    return [{ action, phase, condition, reason, resource: fillTemplate(`${SLR_ARN}*`, names) }];
  return targets.roles.map(({ service, roleName }) => ({
    action,
    phase,
    resource: fillTemplate(`${SLR_ARN}${service}/${roleName}`, names),
    condition:
      action.toLowerCase() === CREATE_SLR.toLowerCase()
        ? { ...condition, StringEquals: { 'iam:AWSServiceName': service } }
        : condition,
    reason: {
      ...reason,
      detail: `${reason.detail} (for ${targets.because}: data/${SERVICE_LINKED_ROLES_FILE})`,
    },
  }));
}

/**
 * A curated addition authorized on an ARN of its own (data/cfn-handler-additions.json
 * `resource`): its actions on that ARN for the operations a phase runs, unless a trimming rule
 * left them out; none for an addition without a resource (it joins the type's handler lists).
 */
function authorizedElsewhere(
  addition: HandlerAddition,
  operations: readonly HandlerOperation[],
  trim: ReadonlyMap<string, string>,
  names: DeploymentNames,
): Array<{ action: string; resource: string; reason: Omit<Reason, 'resource'> }> {
  const ops = addition.operations.filter((op) => operations.includes(op));
  if (!addition.resource || ops.length === 0) return [];
  const resource = fillTemplate(addition.resource, names);
  const summary = `${addition.type} ${ops.join('/')} handler, authorized on ${addition.resource}`;
  const reason = {
    via: 'cloudformation' as const,
    operations: ops,
    summary,
    detail: `${summary}: ${addition.because}`,
    source: `data/${ADDITIONS_FILE}`,
  };
  return addition.actions
    .filter((action) => !trim.has(action.toLowerCase()))
    .map((action) => ({ action, resource, reason }));
}

const byLowerCase = (map: ReadonlyMap<string, string>): Map<string, string> =>
  new Map([...map].map(([action, reason]) => [action.toLowerCase(), reason]));

function statefulRule(type: string, catalog: Catalog): { stateful: boolean; reason: string } {
  return (
    catalog.statefulTypes.types[type] ?? { stateful: true, reason: catalog.statefulTypes.unlistedReason }
  );
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
