import { DEFAULT_PHASES, type Inventory, type NamedPolicy, type Phase, type ProjectContext } from './model';
import { deploymentNames } from './discovery/deployment-names';
import { findProjectRoot } from './discovery/find-project-root';
import { checkEnvName } from './discovery/safe-names';
import { readProjectContext } from './discovery/project-context';
import { LeastPrivilegeError, noProjectError } from './errors';
import { buildInventory } from './inventory/build-inventory';
import { assemblePolicies } from './policy/assemble';
import { requirePermissionsBoundary } from './policy/boundary';
import { reachFrom, type Reach } from './policy/merge-disjoint';
import { pinToRegion } from './policy/region';
import { escalationFindings, type EscalationFinding } from './policy/escalation';
import { loadIamReference, type IamReference } from './policy/iam-reference';
import {
  buildNameRegistry,
  compactRegistry,
  scopeRequirements,
  type NameRegistry,
  type ScopedRequirement,
} from './policy/scope';
import { validateDocuments, type Finding } from './policy/validate';
import { loadCatalog } from './requirements/catalog';
import { collectRequirements } from './requirements/collect';
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
  /** Problems with the documents themselves (a bug in the data or the engine when not empty). */
  readonly findings: readonly Finding[];
  readonly warnings: readonly string[];
  readonly iam: IamReference;
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
  const context = readProjectContext(rootDir, {
    envName: options.envName,
    permissionsBoundaryArn: options.permissionsBoundaryArn,
  });
  checkEnvName(context.envName, false);
  const inventory = buildInventory(context, catalog);
  const collected = collectRequirements(context, inventory, phases, catalog);
  const arnTypes = Object.values(catalog.resourceNames.types).map((rule) => rule.arnType);
  const iam = await loadIamReference(
    collected.requirements.map((r) => r.action),
    arnTypes,
  );
  const registry = buildNameRegistry(inventory, catalog, iam);
  const conditioned = (names: NameRegistry): ConditionedRequirements => {
    const scoped = scopeRequirements(collected.requirements, iam, names, deploymentNames(context));
    const bounded = requirePermissionsBoundary(scoped, context.permissionsBoundaryArn, iam);
    return {
      requirements: pinToRegion(bounded.requirements, context.region, catalog.globalServices),
      dropped: bounded.dropped,
    };
  };
  const reach = reachFrom(iam);
  const { requirements, dropped, policies, folded } = assembleWithinLimits(
    conditioned,
    registry,
    basePolicyName(context),
    reach,
  );
  const foldWarning = folded.length
    ? [`To fit IAM's size limits, long name lists were folded into patterns: ${folded.join('; ')}.`]
    : [];
  return {
    context,
    inventory,
    phases,
    requirements,
    policies,
    trimmed: [...collected.trimmed, ...dropped.map(boundaryTrim)],
    escalations: escalationFindings(policies, catalog.escalationRules, reach),
    findings: validateDocuments(
      policies.map((p) => p.document),
      iam,
    ),
    warnings: [...context.warnings, ...inventory.warnings, ...collected.warnings, ...foldWarning],
    iam,
  };
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
 * IAM allows, folds long name lists into patterns (fewer and fewer names per key) and retries.
 */
function assembleWithinLimits(
  conditioned: (registry: NameRegistry) => ConditionedRequirements,
  registry: NameRegistry,
  baseName: string,
  reach: Reach,
): ConditionedRequirements & { policies: NamedPolicy[]; folded: string[] } {
  let attempt = { registry, folded: [] as string[] };
  for (let i = 0; ; i++) {
    const { requirements, dropped } = conditioned(attempt.registry);
    try {
      return {
        requirements,
        dropped,
        policies: assemblePolicies(requirements, baseName, reach),
        folded: attempt.folded,
      };
    } catch (err) {
      if (!(err instanceof LeastPrivilegeError) || err.kind !== 'limit' || i >= FOLD_THRESHOLDS.length)
        throw err;
      attempt = compactRegistry(registry, FOLD_THRESHOLDS[i]);
    }
  }
}

/** `amplify-<project>-<env>-least-privilege`, in the characters IAM allows in policy names. */
export function basePolicyName(context: ProjectContext): string {
  const part = (value: string | undefined, fallback: string): string =>
    (value ?? fallback).replace(/[^A-Za-z0-9+=,.@_-]/g, '');
  return `amplify-${part(context.projectName, 'project')}-${part(context.envName, 'env')}-least-privilege`;
}
