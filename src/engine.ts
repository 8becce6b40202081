import type { Inventory, NamedPolicy, Phase, ProjectContext } from './model';
import { deploymentNames } from './discovery/deployment-names';
import { findProjectRoot } from './discovery/find-project-root';
import { readProjectContext } from './discovery/project-context';
import { noProjectError } from './errors';
import { buildInventory } from './inventory/build-inventory';
import { assemblePolicies } from './policy/assemble';
import { loadIamReference, type IamReference } from './policy/iam-reference';
import { buildNameRegistry, scopeRequirements, type ScopedRequirement } from './policy/scope';
import { validateDocuments, type Finding } from './policy/validate';
import { loadCatalog } from './requirements/catalog';
import { collectRequirements } from './requirements/collect';

export interface GenerateOptions {
  /** Any folder inside the project; the root is found by walking up. */
  readonly projectDir: string;
  /** @default ['push'] */
  readonly phases?: readonly Phase[];
  /** @default the checked-out env */
  readonly envName?: string;
}

export interface GenerateResult {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  readonly phases: readonly Phase[];
  /** Every (action, ARN) the policies grant, with the reason. */
  readonly requirements: readonly ScopedRequirement[];
  readonly policies: readonly NamedPolicy[];
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
  const phases = options.phases ?? ['push'];
  const catalog = loadCatalog();
  const context = readProjectContext(rootDir, { envName: options.envName });
  const inventory = buildInventory(context, catalog);
  const collected = collectRequirements(context, inventory, phases, catalog);
  const names = deploymentNames(context);
  const arnTypes = Object.values(catalog.resourceNames.types).map((rule) => rule.arnType);
  const iam = await loadIamReference(
    collected.requirements.map((r) => r.action),
    arnTypes,
  );
  const registry = buildNameRegistry(inventory, catalog, iam);
  const requirements = scopeRequirements(collected.requirements, iam, registry, names);
  const policies = assemblePolicies(requirements, basePolicyName(context));
  return {
    context,
    inventory,
    phases,
    requirements,
    policies,
    findings: validateDocuments(
      policies.map((p) => p.document),
      iam,
    ),
    warnings: [...context.warnings, ...inventory.warnings, ...collected.warnings],
    iam,
  };
}

/** `amplify-<project>-<env>-least-privilege`, in the characters IAM allows in policy names. */
export function basePolicyName(context: ProjectContext): string {
  const part = (value: string | undefined, fallback: string): string =>
    (value ?? fallback).replace(/[^A-Za-z0-9+=,.@_-]/g, '');
  return `amplify-${part(context.projectName, 'project')}-${part(context.envName, 'env')}-least-privilege`;
}
