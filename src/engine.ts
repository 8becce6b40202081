import {
  DEFAULT_PHASES,
  type Grant,
  type Inventory,
  type NamedPolicy,
  type Phase,
  type ProjectContext,
  type Requirement,
  type UnknownType,
} from './model';
import { deploymentNames } from './discovery/deployment-names';
import { findProjectRoot } from './discovery/find-project-root';
import { startReadLog, type InputRead } from './discovery/read-log';
import { checkEnvName } from './discovery/safe-names';
import { readProjectContext } from './discovery/project-context';
import { LeastPrivilegeError, noProjectError } from './errors';
import { buildInventory } from './inventory/build-inventory';
import { assemblePolicies, type AssembledPolicies, type PolicyOrigins } from './policy/assemble';
import { requirePermissionsBoundary } from './policy/boundary';
import { reachFrom, type Reach } from './policy/merge-disjoint';
import { pinToRegion } from './policy/region';
import { escalationFindings, type EscalationFinding } from './policy/escalation';
import {
  handWrittenScope,
  projectEnvelope,
  stackAnchors,
  wideningWarning,
  widenings,
  type Widening,
} from './policy/envelope';
import { loadIamReference, type IamReference } from './policy/iam-reference';
import { compactRegistry } from './policy/compact-registry';
import { buildNameRegistry, type NameRegistry } from './policy/name-registry';
import { groupRequirements, scopeGroups } from './policy/scope';
import type { LimitProblem } from './policy/split';
import { validateDocuments, type Finding } from './policy/validate';
import {
  applyOverrides,
  overrideActions,
  overrideRequirements,
  type OverridesApplied,
  type OverridesReport,
} from './overrides/apply-overrides';
import { readOverrides } from './overrides/overrides-file';
import { arnSuffixes, loadCatalog, nameArnTypesOf } from './catalog/catalog';
import { collectRequirements } from './requirements/collect';
import { removalWarning, statefulRemovals, type StatefulRemoval } from './requirements/removals';
import type { TrimmedAction } from './requirements/trimming';
import { warning, type Warning } from './results';

export interface GenerateOptions {
  /** Any folder inside the project; the root is found by walking up. */
  readonly projectDir: string;
  /** @default DEFAULT_PHASES */
  readonly phases?: readonly Phase[];
  /** @default the checked-out env */
  readonly envName?: string;
  /** @default the env's boundary (team-provider-info.json PermissionsBoundaryPolicyArn), if any */
  readonly permissionsBoundaryArn?: string;
  /**
   * The pre-push guard verifies with IAM, so the policy lets the caller simulate itself.
   * @default the guard's setting (amplify/least-privilege/config.json `verify`)
   */
  readonly guardVerify?: boolean;
}

export interface GenerateResult {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  readonly phases: readonly Phase[];
  /** Every (action, ARN, condition) the policies grant, with the requirements that need it. */
  readonly grants: readonly Grant[];
  readonly policies: readonly NamedPolicy[];
  /** By policy and statement: the grants each statement allows (see assemblePolicies). */
  readonly origins: PolicyOrigins;
  /** Optional CloudFormation handler actions left out because no template property asks for them. */
  readonly trimmed: readonly TrimmedAction[];
  /** Combinations of grants that let the holder escalate (data/escalation-rules.json). */
  readonly escalations: readonly EscalationFinding[];
  /** Granted ARN patterns wider than the project's own names, each with its cause (the envelope). */
  readonly widened: readonly Widening[];
  /** Problems with the documents themselves (a bug in the data or the engine when not empty). */
  readonly findings: readonly Finding[];
  /** amplify/least-privilege/overrides.json: the grants added as written, the computed grants excluded. */
  readonly overrides: OverridesReport;
  readonly warnings: readonly Warning[];
  /**
   * Resource types neither the CloudFormation registry nor the curated data knows: the policy
   * grants nothing for them (a warning in generate and check, an error in the guard's mode block).
   */
  readonly unknownTypes: readonly UnknownType[];
  /** Resources holding data that the next push removes or replaces (#current-cloud-backend vs backend). */
  readonly statefulRemovals: readonly StatefulRemoval[];
  readonly iam: IamReference;
  /** Every project file, file part, path and folder listing read (the pre-push guard hashes exactly these). */
  readonly inputs: readonly InputRead[];
}

/** The whole flow: project files → context → inventory → requirements → scoped, merged, split, validated documents. */
export async function generatePolicies(options: GenerateOptions): Promise<GenerateResult> {
  const rootDir = findProjectRoot(options.projectDir);
  if (!rootDir) {
    throw noProjectError(
      `${options.projectDir} is not inside an Amplify project (no amplify/backend/backend-config.json above it).`,
      'Run the command in an Amplify Gen 1 project, or pass --project-dir DIR.',
    );
  }
  checkEnvName(options.envName, true);
  const phases = options.phases ?? DEFAULT_PHASES;
  const catalog = loadCatalog();
  const readLog = startReadLog(rootDir);
  const context = readProjectContext(rootDir, {
    envName: options.envName,
    permissionsBoundaryArn: options.permissionsBoundaryArn,
    guardVerify: options.guardVerify,
    newEnvAllowed: phases.includes('init') || phases.includes('delete'),
  });
  checkEnvName(context.envName, false);
  const inventory = buildInventory(context, catalog);
  const collected = collectRequirements(context, inventory, phases, catalog);
  const overrides = readOverrides(rootDir);
  const inputs = readLog.stop();
  // The ARN formats of the resource types the project deploys (the name registry's); those of
  // the actions come with them. Every other service's reference stays unread.
  const arnTypes = nameArnTypesOf(
    catalog.resourceNames,
    new Set(inventory.resources.flatMap((resource) => resource.cfnResources.map((cfn) => cfn.type))),
  );
  const iam = await loadIamReference(
    [...collected.requirements.map((r) => r.action), ...overrideActions(overrides)],
    arnTypes,
    arnSuffixes(catalog.resourceNames),
  );
  const registry = buildNameRegistry(inventory, catalog, iam, context.deployedOutputs);
  const names = deploymentNames(context);
  const envelope = projectEnvelope(names, catalog.resourceNames.generatedNames.stackNamePrefixLength);
  const grants = overrideRequirements(overrides, iam, {
    env: context.envName,
    phases,
    envelope: handWrittenScope(envelope, registry),
  });
  // Overrides merge after scoping, exactly as written.
  const groups = groupRequirements(collected.requirements, iam, registry);
  const conditioned = (registry: NameRegistry): ConditionedGrants => {
    const scoped = scopeGroups(groups, iam, registry, names);
    const bounded = requirePermissionsBoundary(scoped.grants, context.permissionsBoundaryArn, iam);
    const pinned = pinToRegion(bounded.grants, context.region, catalog.globalServices);
    const overridden = applyOverrides(pinned, overrides, grants, context.envName);
    return { overridden, dropped: bounded.dropped, unscoped: scoped.unscoped };
  };
  const reach = reachFrom(iam);
  const assembled = assembleWithinLimits(
    conditioned,
    registry,
    basePolicyName(context),
    reach,
    stackAnchors(envelope),
  );
  const { overridden, dropped, policies, folded } = assembled;
  const removals = statefulRemovals(inventory.changes, catalog.statefulTypes);
  const foldWarning = folded.length
    ? [
        warning(
          'names-folded',
          `To fit IAM's size limits, long name lists were folded into patterns: ${folded.join('; ')}.`,
        ),
      ]
    : [];
  const widened = widenings(overridden.grants, iam, envelope, assembled.registry.causes);
  return {
    context,
    inventory,
    phases,
    grants: overridden.grants,
    policies,
    origins: assembled.origins,
    trimmed: [...collected.trimmed, ...boundaryTrims(dropped)],
    escalations: escalationFindings(policies, catalog.escalationRules, reach),
    widened,
    findings: validateDocuments(
      policies.map((p) => p.document),
      iam,
    ),
    overrides: { grants: overridden.applied, excluded: overridden.excluded },
    warnings: [
      ...context.warnings,
      ...inventory.warnings,
      ...collected.warnings,
      ...foldWarning,
      ...overridden.warnings,
      ...wideningWarning(widened),
      ...notScoped(assembled.unscoped, iam),
      ...removals.map((removal) => removalWarning(removal, phases)),
    ],
    unknownTypes: collected.unknownTypes,
    statefulRemovals: removals,
    iam,
    inputs,
  };
}

/** A warning for actions left out because the project has no resource of the kind they act on. */
function notScoped(unscoped: readonly Requirement[], iam: IamReference): Warning[] {
  const left = new Set<string>();
  for (const { action, reason } of unscoped)
    left.add(
      `${iam.action(action)?.name ?? action} (${reason.resource}${reason.resourceType ? `: ${reason.resourceType}` : ''})`,
    );
  return left.size === 0
    ? []
    : [
        warning(
          'not-granted',
          `Not granted: ${[...left].sort().join(', ')}. They act only on kinds of resource (roles, functions, tables, buckets, ...) the project's templates name none of, and a bare * would reach every one in the account.`,
        ),
      ];
}

interface ConditionedGrants {
  readonly overridden: OverridesApplied;
  /** Left out by a condition pass (the permissions boundary). */
  readonly dropped: readonly Grant[];
  /** Requirements no ARN of the project fits. */
  readonly unscoped: readonly Requirement[];
}

/** One trimmed entry per resource and action the boundary pass left out. */
function boundaryTrims(dropped: readonly Grant[]): TrimmedAction[] {
  const trims = new Map<string, TrimmedAction>();
  const seen = new Set<readonly Requirement[]>();
  for (const grant of dropped)
    for (const group of grant.origins) {
      if (seen.has(group)) continue;
      seen.add(group);
      for (const { reason } of group) {
        const resourceType = reason.resourceType ?? '';
        const key = `${reason.resource}\n${resourceType}\n${grant.action}`;
        if (!trims.has(key))
          trims.set(key, {
            action: grant.action,
            resourceType,
            resource: reason.resource,
            reason: "the env's permissions boundary must stay on every role, so it is never removed",
          });
      }
    }
  return [...trims.values()];
}

/**
 * How many names per name key an attempt keeps: the project's exact names first, then long
 * name lists folded into prefix patterns (fewer and fewer names per key, never shorter than
 * the project's prefixes) while the documents do not fit IAM's limits.
 */
const NAME_BUDGETS: ReadonlyArray<number | undefined> = [undefined, 24, 8, 2];

/**
 * Scopes and assembles with each budget of names in turn (NAME_BUDGETS), and keeps the first
 * that fits IAM's limits; when even the last does not, fails with why.
 */
function assembleWithinLimits(
  conditioned: (registry: NameRegistry) => ConditionedGrants,
  registry: NameRegistry,
  baseName: string,
  reach: Reach,
  anchors: readonly string[],
): ConditionedGrants & AssembledPolicies & { folded: string[]; registry: NameRegistry } {
  let problem: LimitProblem | undefined;
  let folded: string[] = [];
  for (const budget of NAME_BUDGETS) {
    const attempt =
      budget === undefined ? { registry, folded: [] } : compactRegistry(registry, budget, anchors);
    folded = attempt.folded;
    const grants = conditioned(attempt.registry);
    const result = assemblePolicies(grants.overridden.grants, baseName, reach);
    if ('assembled' in result) return { ...grants, ...result.assembled, ...attempt };
    problem = result.problem;
  }
  throw new LeastPrivilegeError(
    'limit',
    `${problem?.message} Long name lists were folded down to the project's own prefixes (${folded.join('; ') || 'nothing to fold'}); folding further would grant beyond the project.`,
    problem?.resolution ?? '',
  );
}

/** `amplify-<project>-<env>-least-privilege`, in the characters IAM allows in policy names. */
export function basePolicyName(context: ProjectContext): string {
  const part = (value: string | undefined, fallback: string): string =>
    (value ?? fallback).replace(/[^A-Za-z0-9+=,.@_-]/g, '');
  return `amplify-${part(context.projectName, 'project')}-${part(context.envName, 'env')}-least-privilege`;
}
