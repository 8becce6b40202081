/**
 * What deploying a cloud assembly needs, for the two principals of a CDK deployment:
 * - the CloudFormation execution role: the resource handlers' permissions (the same
 *   handler-requirements as Gen 1, without `aws:CalledVia`: CloudFormation calls with the role
 *   itself, so the key is absent) plus the reads of the assembly's assets and SSM parameters;
 * - the deployer: `sts:AssumeRole` on the bootstrap roles the manifest names; for stacks
 *   synthesized without bootstrap roles, the CDK CLI's own calls and the handlers' permissions
 *   through CloudFormation (`aws:CalledVia`), as for Gen 1.
 * The knowledge is in data/cdk-assembly.json.
 */
import fs = require('node:fs');
import path = require('node:path');
import type { ConditionBlock, Inventory, Phase, Requirement } from '../model';
import type { AssemblyStack } from '../inventory/cdk-assembly';
import { fillTemplate, type DeploymentNames } from '../discovery/deployment-names';
import { DATA_DIR } from '../catalog/catalog';
import type { Catalog } from '../catalog/schemas';
import type { CollectedRequirements } from './collect';
import { handlerRequirements } from './handler-requirements';
import { HANDLER_OPERATIONS } from './phases';
import { compareText } from '../text-order';

export const CDK_DATA_FILE = 'cdk-assembly.json';
/** Who makes the calls of the deployer's own requirements (explain: "the CDK CLI calls it"). */
export const CDK_CLI = 'the CDK CLI';

/** When an entry applies: the assembly has file assets, image assets, SSM parameters, nested stacks. */
type When = 'fileAssets' | 'imageAssets' | 'ssmParameters' | 'nestedStacks';

interface CdkEntry {
  readonly id: string;
  readonly when?: When;
  readonly actions: readonly string[];
  readonly resource?: string;
  readonly condition?: ConditionBlock;
  readonly because: string;
  readonly where: string;
}

interface CdkData {
  readonly assumeRoles: {
    readonly actions: readonly string[];
    readonly because: string;
    readonly where: string;
  };
  readonly executionRole: readonly CdkEntry[];
  readonly directDeploy: readonly CdkEntry[];
}

let cached: CdkData | undefined;

export function loadCdkData(): CdkData {
  cached ??= JSON.parse(fs.readFileSync(path.join(DATA_DIR, CDK_DATA_FILE), 'utf8')) as CdkData;
  return cached;
}

/** The execution role's requirements for the stacks that name one (their inventory resources). */
export function executionRoleRequirements(
  inventory: Inventory,
  stacks: readonly AssemblyStack[],
  phases: readonly Phase[],
  catalog: Catalog,
  names: DeploymentNames,
): CollectedRequirements {
  const handlers = handlerRequirements(inventory, phases, catalog, names);
  const data = loadCdkData();
  const deploys = phases.some((phase) => HANDLER_OPERATIONS[phase].length > 0);
  const requirements: Requirement[] = [
    ...handlers.requirements.map(withoutCalledVia),
    ...(deploys ? entryRequirements(data.executionRole, stacks, phases, names, 'cloudformation') : []),
  ];
  return {
    requirements,
    trimmed: handlers.trimmed,
    warnings: handlers.warnings,
    unknownTypes: handlers.unknownTypes,
  };
}

/**
 * The deployer's requirements: assume the bootstrap roles of `bootstrapped` stacks; for `direct`
 * stacks (no deploy role in the manifest), the CLI's calls and the handlers' permissions
 * through CloudFormation (`direct` is their inventory).
 */
export function deployerRequirements(
  bootstrapped: readonly AssemblyStack[],
  direct: { readonly inventory: Inventory; readonly stacks: readonly AssemblyStack[] },
  phases: readonly Phase[],
  catalog: Catalog,
  names: DeploymentNames,
): CollectedRequirements {
  const data = loadCdkData();
  const requirements: Requirement[] = [];
  for (const { arn, stacks, role } of bootstrapRoles(bootstrapped))
    for (const phase of phases)
      for (const action of data.assumeRoles.actions)
        requirements.push({
          action,
          resource: arn,
          phase,
          reason: {
            via: 'cli',
            resource: CDK_CLI,
            summary: `assumes the ${role}`,
            detail: `assumes the ${role} of ${stacks.join(', ')}: ${data.assumeRoles.because} (${data.assumeRoles.where})`,
            source: `data/${CDK_DATA_FILE}#assumeRoles`,
          },
        });
  if (direct.stacks.length === 0) return { requirements, trimmed: [], warnings: [], unknownTypes: [] };
  const handlers = handlerRequirements(direct.inventory, phases, catalog, names);
  return {
    requirements: [
      ...requirements,
      ...entryRequirements(data.directDeploy, direct.stacks, phases, names, 'cli'),
      ...handlers.requirements,
    ],
    trimmed: handlers.trimmed,
    warnings: handlers.warnings,
    unknownTypes: handlers.unknownTypes,
  };
}

/** Each bootstrap role the manifest names once, with the stacks that use it and what it is. */
function bootstrapRoles(
  stacks: readonly AssemblyStack[],
): Array<{ arn: string; role: string; stacks: string[] }> {
  const roles = new Map<string, { arn: string; role: string; stacks: string[] }>();
  const add = (arn: string | undefined, role: string, stack: string): void => {
    if (!arn) return;
    const entry = roles.get(arn) ?? { arn, role, stacks: [] };
    if (!entry.stacks.includes(stack)) entry.stacks.push(stack);
    roles.set(arn, entry);
  };
  for (const stack of stacks) {
    add(stack.deployRoleArn, 'deploy role', stack.stackName);
    add(stack.lookupRoleArn, 'lookup role', stack.stackName);
    for (const asset of stack.fileAssets) add(asset.publishRoleArn, 'file-publishing role', stack.stackName);
    for (const asset of stack.imageAssets)
      add(asset.publishRoleArn, 'image-publishing role', stack.stackName);
  }
  return [...roles.values()].sort((a, b) => compareText(a.arn, b.arn));
}

/** The entries that apply to these stacks, one requirement per action, phase and ARN. */
function entryRequirements(
  entries: readonly CdkEntry[],
  stacks: readonly AssemblyStack[],
  phases: readonly Phase[],
  names: DeploymentNames,
  via: 'cli' | 'cloudformation',
): Requirement[] {
  const requirements: Requirement[] = [];
  const deployPhases = phases.filter((phase) => HANDLER_OPERATIONS[phase].length > 0);
  for (const entry of entries) {
    const resources = entryResources(entry, stacks, names);
    if (resources.length === 0) continue;
    for (const phase of deployPhases)
      for (const action of entry.actions)
        for (const resource of resources)
          requirements.push({
            action,
            ...(resource === undefined ? {} : { resource }),
            ...(entry.condition ? { condition: entry.condition } : {}),
            phase,
            reason: {
              via,
              resource: via === 'cli' ? CDK_CLI : stacks.map((s) => `stack/${s.stackName}`).join(', '),
              summary: entry.because,
              detail: `${entry.because} (${entry.where})`,
              source: `data/${CDK_DATA_FILE}#${entry.id}`,
            },
          });
  }
  return requirements;
}

/** The ARNs an entry's template stands for over these stacks; [] when it does not apply; [undefined]: scoped by the engine. */
function entryResources(
  entry: CdkEntry,
  stacks: readonly AssemblyStack[],
  names: DeploymentNames,
): Array<string | undefined> {
  const values = perStack(entry.when, stacks);
  if (values === undefined) return [];
  if (entry.resource === undefined) return [undefined];
  const filled = values.map((vars) =>
    fillTemplate(
      entry.resource!.replace(/\$\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole),
      names,
    ),
  );
  return [...new Set(filled)].sort();
}

/**
 * The variables of each thing an entry applies to: the stacks, their file assets, image
 * assets, SSM parameters, or the execution roles of stacks with nested stacks. undefined when
 * there is none.
 */
function perStack(
  when: When | undefined,
  stacks: readonly AssemblyStack[],
): Array<Record<string, string>> | undefined {
  let values: Array<Record<string, string>>;
  switch (when) {
    case undefined:
      values = stacks.map((s) => ({ StackName: s.stackName }));
      break;
    case 'fileAssets':
      values = stacks.flatMap((s) =>
        s.fileAssets.map((a) => ({ BucketName: a.bucketName, ObjectKey: a.objectKey })),
      );
      break;
    case 'imageAssets':
      values = stacks.flatMap((s) => s.imageAssets.map((a) => ({ RepositoryName: a.repositoryName })));
      break;
    case 'ssmParameters':
      values = stacks.flatMap((s) =>
        s.ssmParameters.map((name) => ({ ParameterName: name.replace(/^\//, '') })),
      );
      break;
    case 'nestedStacks':
      values = stacks.flatMap((s) =>
        s.templates.length > 1 && s.executionRoleArn ? [{ RoleArn: s.executionRoleArn }] : [],
      );
      break;
  }
  return values.length > 0 ? values : undefined;
}

/** The same requirement without the `aws:CalledVia` key (and without a condition block it leaves empty). */
function withoutCalledVia(requirement: Requirement): Requirement {
  const condition = requirement.condition;
  if (!condition || !JSON.stringify(condition).includes('aws:CalledVia')) return requirement;
  const kept: Record<string, Record<string, string | readonly string[]>> = {};
  for (const [operator, keys] of Object.entries(condition)) {
    const rest = Object.fromEntries(Object.entries(keys).filter(([key]) => key !== 'aws:CalledVia'));
    if (Object.keys(rest).length > 0) kept[operator] = rest;
  }
  const { action, resource, phase, reason } = requirement;
  const base = resource === undefined ? { action, phase, reason } : { action, resource, phase, reason };
  return Object.keys(kept).length > 0 ? { ...base, condition: kept } : base;
}
