import {
  DEFAULT_PHASES,
  type Inventory,
  type NamedPolicy,
  type Phase,
  type ProjectContext,
  type Requirement,
  type UnknownType,
} from './model';
import { deploymentNames, type DeploymentNames } from './discovery/deployment-names';
import { findProjectRoot } from './discovery/find-project-root';
import { startReadLog, type InputRead } from './discovery/read-log';
import { checkEnvName } from './discovery/safe-names';
import { readProjectContext } from './discovery/project-context';
import { LeastPrivilegeError, noProjectError } from './errors';
import { buildInventory } from './inventory/build-inventory';
import { assemblePolicies } from './policy/assemble';
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
  type Envelope,
  type Widening,
} from './policy/envelope';
import { loadIamReference, type IamReference } from './policy/iam-reference';
import type { PseudoValues } from './policy/arn-patterns';
import {
  arnsForAction,
  buildNameRegistry,
  compactRegistry,
  scopeRequirements,
  type NameRegistry,
  type ScopedRequirement,
} from './policy/scope';
import { validateDocuments, type Finding } from './policy/validate';
import {
  applyOverrides,
  NOTHING_APPLIED,
  overrideActions,
  overrideRequirements,
  type OverridesReport,
} from './overrides/apply-overrides';
import { readOverrides, type Overrides } from './overrides/overrides-file';
import { loadCatalog, nameArnTypes } from './requirements/catalog';
import { collectRequirements, type CollectedRequirements } from './requirements/collect';
import { removalWarning, statefulRemovals, type StatefulRemoval } from './requirements/removals';
import type { TrimmedAction } from './requirements/trimming';

export interface GenerateOptions {
  /** Any folder inside the project; the root is found by walking up. */
  readonly projectDir: string;
  /** @default DEFAULT_PHASES */
  readonly phases?: readonly Phase[];
  /** @default the checked-out env */
  readonly envName?: string;
  /** @default the env's boundary (team-provider-info.json PermissionsBoundaryPolicyArn), if any */
  readonly permissionsBoundaryArn?: string;
}

export interface GenerateResult {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  readonly phases: readonly Phase[];
  /** Every (action, ARN) the policies grant, with the reason. */
  readonly requirements: readonly ScopedRequirement[];
  readonly policies: readonly NamedPolicy[];
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
  readonly warnings: readonly string[];
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
  });
  checkEnvName(context.envName, false);
  const inventory = buildInventory(context, catalog);
  const collected = collectRequirements(context, inventory, phases, catalog);
  const overrides = readOverrides(rootDir);
  const inputs = readLog.stop();
  const names = deploymentNames(context);
  return policiesFor({
    context,
    inventory,
    phases,
    collected,
    names,
    envelope: projectEnvelope(names, catalog.resourceNames.generatedNames.stackNamePrefixLength),
    baseName: basePolicyName(context),
    overrides,
    inputs,
  });
}

/**
 * What a front end hands the engine: the Gen 1 reader above, or the CDK assembly reader
 * (src/cdk-engine.ts). Everything after it (scoping, conditions, overrides, merging,
 * splitting, folding, widenings, validation) is the same for both.
 */
export interface EngineInput {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  readonly phases: readonly Phase[];
  readonly collected: CollectedRequirements;
  /** The names ARNs are built from (partition, region, account, ...). */
  readonly names: DeploymentNames;
  /** What counts as inside the deployment (src/policy/envelope.ts). */
  readonly envelope: Envelope;
  /** The first document's name; the others get -2, -3... */
  readonly baseName: string;
  readonly overrides: Overrides;
  readonly inputs: readonly InputRead[];
  /** Name prefixes a fold may not cut short; default: the envelope's Amplify stack anchors. */
  readonly foldAnchors?: readonly string[];
}

/** Requirements to scoped, conditioned, merged, split and validated documents, with what was widened and why. */
export async function policiesFor(input: EngineInput): Promise<GenerateResult> {
  const { context, inventory, phases, collected, names, envelope, overrides, inputs } = input;
  const catalog = loadCatalog();
  const arnTypes = nameArnTypes(catalog.resourceNames);
  const iam = await loadIamReference(
    [...collected.requirements.map((r) => r.action), ...overrideActions(overrides)],
    arnTypes,
  );
  const registry = buildNameRegistry(inventory, catalog, iam, context.deployedOutputs);
  const grants = overrideRequirements(overrides, iam, {
    env: context.envName,
    phases,
    envelope: handWrittenScope(envelope, registry),
  });
  // Overrides merge after scoping, exactly as written; the assembly kept is the last one run.
  let overridden = NOTHING_APPLIED;
  const conditioned = (registry: NameRegistry): ConditionedRequirements => {
    const scoped = scopeRequirements(collected.requirements, iam, registry, names);
    const bounded = requirePermissionsBoundary(scoped, context.permissionsBoundaryArn, iam);
    const pinned = pinToRegion(bounded.requirements, context.region, catalog.globalServices);
    overridden = applyOverrides(pinned, overrides, grants, context.envName);
    return { requirements: overridden.requirements, dropped: bounded.dropped };
  };
  const reach = reachFrom(iam);
  const assembled = assembleWithinLimits(
    conditioned,
    registry,
    input.baseName,
    reach,
    input.foldAnchors ?? stackAnchors(envelope),
  );
  const { requirements, dropped, policies, folded } = assembled;
  const removals = statefulRemovals(inventory.changes, catalog.statefulTypes);
  const foldWarning = folded.length
    ? [`To fit IAM's size limits, long name lists were folded into patterns: ${folded.join('; ')}.`]
    : [];
  const widened = widenings(requirements, iam, envelope, assembled.registry.causes);
  const unscoped = notScoped(collected.requirements, iam, assembled.registry, names);
  return {
    context,
    inventory,
    phases,
    requirements,
    policies,
    trimmed: [...collected.trimmed, ...dropped.map(boundaryTrim)],
    escalations: escalationFindings(policies, catalog.escalationRules, reach),
    widened,
    findings: validateDocuments(
      policies.map((p) => p.document),
      iam,
    ),
    overrides: { grants: overridden.grants, excluded: overridden.excluded },
    warnings: [
      ...context.warnings,
      ...inventory.warnings,
      ...collected.warnings,
      ...foldWarning,
      ...overridden.warnings,
      ...wideningWarning(widened),
      ...unscoped,
      ...removals.map((removal) => removalWarning(removal, phases)),
    ],
    unknownTypes: collected.unknownTypes,
    statefulRemovals: removals,
    iam,
    inputs,
  };
}

/** A warning for actions left out because the project has no resource of the kind they act on. */
function notScoped(
  requirements: readonly Requirement[],
  iam: IamReference,
  registry: NameRegistry,
  pseudo: PseudoValues,
): string[] {
  const left = new Set<string>();
  for (const r of requirements) {
    if (r.resource !== undefined) continue;
    const action = iam.action(r.action)?.name ?? r.action;
    if (arnsForAction(action, iam, registry, pseudo, r.reason.cfnType).length === 0)
      left.add(`${action} (${r.reason.resource}${r.reason.cfnType ? `: ${r.reason.cfnType}` : ''})`);
  }
  return left.size === 0
    ? []
    : [
        `Not granted: ${[...left].sort().join(', ')}. They act only on kinds of resource (roles, functions, tables, buckets, ...) the project's templates name none of, and a bare * would reach every one in the account. If a push needs one, check the templates (unreadable or not built?) and generate again.`,
      ];
}

interface ConditionedRequirements {
  readonly requirements: ScopedRequirement[];
  /** Left out by a condition pass (the permissions boundary). */
  readonly dropped: ScopedRequirement[];
}

const boundaryTrim = (requirement: ScopedRequirement): TrimmedAction => ({
  action: requirement.action,
  resourceType: requirement.reason.detail.split(' ')[0],
  resource: requirement.reason.resource,
  reason: "the env's permissions boundary must stay on every role, so it is never removed",
});

/** Names per name key tried, in order, when the exact names need more policies than one identity can hold. */
const FOLD_THRESHOLDS = [24, 8, 2];

/**
 * Scopes and assembles with the project's exact names; when that needs more documents than
 * IAM allows, folds long name lists into prefix patterns (fewer and fewer names per key, never
 * shorter than the project's prefixes) and retries; when even that does not fit, fails with why.
 */
function assembleWithinLimits(
  conditioned: (registry: NameRegistry) => ConditionedRequirements,
  registry: NameRegistry,
  baseName: string,
  reach: Reach,
  anchors: readonly string[],
): ConditionedRequirements & { policies: NamedPolicy[]; folded: string[]; registry: NameRegistry } {
  let attempt = { registry, folded: [] as string[] };
  for (let i = 0; ; i++) {
    const { requirements, dropped } = conditioned(attempt.registry);
    try {
      return {
        requirements,
        dropped,
        policies: assemblePolicies(requirements, baseName, reach),
        ...attempt,
      };
    } catch (err) {
      if (!(err instanceof LeastPrivilegeError) || err.kind !== 'limit') throw err;
      if (i >= FOLD_THRESHOLDS.length) {
        throw new LeastPrivilegeError(
          'limit',
          `${err.message} Long name lists were folded down to the project's own prefixes (${attempt.folded.join('; ') || 'nothing to fold'}); folding further would grant beyond the project.`,
          err.resolution,
          err,
        );
      }
      attempt = compactRegistry(registry, FOLD_THRESHOLDS[i], anchors);
    }
  }
}

/** `amplify-<project>-<env>-least-privilege`, in the characters IAM allows in policy names. */
export function basePolicyName(context: ProjectContext): string {
  const part = (value: string | undefined, fallback: string): string =>
    (value ?? fallback).replace(/[^A-Za-z0-9+=,.@_-]/g, '');
  return `amplify-${part(context.projectName, 'project')}-${part(context.envName, 'env')}-least-privilege`;
}
