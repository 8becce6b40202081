import {
  DEFAULT_PHASES,
  type Grant,
  type Inventory,
  type NamedPolicy,
  type Phase,
  type ProjectContext,
  type UnknownType,
} from './model';
import { deploymentNames, type DeploymentNames } from './discovery/deployment-names';
import { findProjectRoot } from './discovery/find-project-root';
import { startReadLog, type InputRead } from './discovery/read-log';
import { checkEnvName } from './discovery/safe-names';
import { readProjectContext } from './discovery/project-context';
import { noProjectError } from './errors';
import { buildInventory } from './inventory/build-inventory';
import type { PolicyOrigins, ServicesMerged } from './policy/assemble';
import { boundaryTrims, requirePermissionsBoundary } from './policy/boundary';
import { reachFrom } from './policy/merge-disjoint';
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
import { buildNameRegistry } from './policy/name-registry';
import { groupRequirements, notScopedWarnings, scopeGroups } from './policy/scope';
import { resourceTypesFrom } from './policy/sids';
import { assembleWithinLimits } from './policy/within-limits';
import { validateDocuments, type Finding } from './policy/validate';
import {
  applyOverrides,
  overrideActions,
  overrideRequirements,
  type OverridesReport,
} from './overrides/apply-overrides';
import { readOverrides, type Overrides } from './overrides/overrides-file';
import { arnSuffixes, loadCatalog, nameArnTypesOf } from './catalog/catalog';
import { collectRequirements, type CollectedRequirements } from './requirements/collect';
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
  /** Set when statements hold several services to fit fewer documents (see assemblePolicies). */
  readonly servicesMerged?: ServicesMerged;
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

/**
 * What a front end gives the engine: who and where the project deploys, what it deploys, the
 * grants and exclusions written by hand, and every project input read to know it (the
 * pre-push guard hashes exactly these). The Amplify Gen 1 front end is readAmplifyProject.
 */
export interface ProjectModel {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  /** amplify/least-privilege/overrides.json (NO_OVERRIDES without one). */
  readonly overrides: Overrides;
  readonly inputs: readonly InputRead[];
  // Set by another front end (the CDK assembly reader, src/cdk-engine.ts); the Gen 1 reader
  // leaves them to their defaults.
  /** The requirements; default: the Amplify CLI's calls and CloudFormation's handlers for the phases. */
  readonly collected?: CollectedRequirements;
  /** The names ARNs are built from; default: deploymentNames(context). */
  readonly names?: DeploymentNames;
  /** What counts as inside the deployment (src/policy/envelope.ts); default: the Amplify project's. */
  readonly envelope?: Envelope;
  /** The first document's name (the others get -2, -3...); default: the Amplify project's. */
  readonly baseName?: string;
  /** Name prefixes a fold may not cut short; default: the envelope's Amplify stack anchors. */
  readonly foldAnchors?: readonly string[];
}

/** The whole flow: project files → context → inventory → requirements → scoped, merged, split, validated documents. */
export async function generatePolicies(options: GenerateOptions): Promise<GenerateResult> {
  const phases = options.phases ?? DEFAULT_PHASES;
  return policiesFor(readAmplifyProject(options, phases), phases);
}

/**
 * The Amplify Gen 1 front end: finds the project root above `projectDir`, reads its context
 * (env, region, account, names, boundary), builds its inventory and reads its overrides,
 * noting every project input read.
 */
export function readAmplifyProject(options: GenerateOptions, phases: readonly Phase[]): ProjectModel {
  const rootDir = findProjectRoot(options.projectDir);
  if (!rootDir) {
    throw noProjectError(
      `${options.projectDir} is not inside an Amplify project (no amplify/backend/backend-config.json above it).`,
      'Run the command in an Amplify Gen 1 project, or pass --project-dir DIR.',
    );
  }
  checkEnvName(options.envName, true);
  const readLog = startReadLog(rootDir);
  const context = readProjectContext(rootDir, {
    envName: options.envName,
    permissionsBoundaryArn: options.permissionsBoundaryArn,
    guardVerify: options.guardVerify,
    newEnvAllowed: phases.includes('init') || phases.includes('delete'),
  });
  checkEnvName(context.envName, false);
  const inventory = buildInventory(context, loadCatalog());
  const overrides = readOverrides(rootDir);
  return { context, inventory, overrides, inputs: readLog.stop() };
}

/**
 * The stages after the front end, for any project model: requirements of the phases, the IAM
 * reference they need, scoping to the project's names, the boundary, region and override
 * passes, assembly within IAM's limits (folding names when needed), and the checks.
 */
export async function policiesFor(project: ProjectModel, phases: readonly Phase[]): Promise<GenerateResult> {
  const { context, inventory, overrides, inputs } = project;
  const catalog = loadCatalog();
  const collected = project.collected ?? collectRequirements(context, inventory, phases, catalog);
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
  const names = project.names ?? deploymentNames(context);
  const envelope =
    project.envelope ?? projectEnvelope(names, catalog.resourceNames.generatedNames.stackNamePrefixLength);
  const handWritten = overrideRequirements(overrides, iam, {
    env: context.envName,
    phases,
    envelope: handWrittenScope(envelope, registry),
  });
  // The same groups for every budget of names; overrides merge after scoping, exactly as written.
  const groups = groupRequirements(collected.requirements, iam, registry);
  const reach = reachFrom(iam);
  const assembled = assembleWithinLimits(
    (registry) => {
      const scoped = scopeGroups(groups, iam, registry, names);
      const bounded = requirePermissionsBoundary(scoped.grants, context.permissionsBoundaryArn, iam);
      const pinned = pinToRegion(bounded.grants, context.region, catalog.globalServices);
      const overridden = applyOverrides(pinned, overrides, handWritten, context.envName);
      return { grants: overridden.grants, overridden, dropped: bounded.dropped, unscoped: scoped.unscoped };
    },
    registry,
    project.baseName ?? basePolicyName(context),
    reach,
    project.foldAnchors ?? stackAnchors(envelope),
    resourceTypesFrom(iam),
  );
  const { grants, overridden, policies, folded } = assembled;
  const removals = statefulRemovals(inventory.changes, catalog.statefulTypes);
  const foldWarning = folded.length
    ? [
        warning(
          'names-folded',
          `To fit IAM's size limits, long name lists were folded into patterns: ${folded.join('; ')}.`,
        ),
      ]
    : [];
  const widened = widenings(grants, iam, envelope, assembled.registry.causes);
  return {
    context,
    inventory,
    phases,
    grants,
    policies,
    origins: assembled.origins,
    ...(assembled.servicesMerged ? { servicesMerged: assembled.servicesMerged } : {}),
    trimmed: [...collected.trimmed, ...boundaryTrims(assembled.dropped)],
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
      ...notScopedWarnings(assembled.unscoped, iam),
      ...removals.map((removal) => removalWarning(removal, phases)),
    ],
    unknownTypes: collected.unknownTypes,
    statefulRemovals: removals,
    iam,
    inputs,
  };
}

/** `amplify-<project>-<env>-least-privilege`, in the characters IAM allows in policy names. */
export function basePolicyName(context: ProjectContext): string {
  const part = (value: string | undefined, fallback: string): string =>
    (value ?? fallback).replace(/[^A-Za-z0-9+=,.@_-]/g, '');
  return `amplify-${part(context.projectName, 'project')}-${part(context.envName, 'env')}-least-privilege`;
}
