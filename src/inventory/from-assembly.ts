/**
 * A cloud assembly (src/discovery/cdk-assembly.ts) as the engine's Inventory: one resource per
 * stack, with the CloudFormation resources of its template and of the nested templates it
 * deploys (parameters passed down as for Gen 1), and the names, envelope and context of one
 * deployment environment (account and region). Pure functions over the read assembly.
 */
import type { CfnResource, Inventory, InventoryResource, ProjectContext } from '../model';
import type { AssemblyStack, CloudAssembly } from './cdk-assembly';
import { partitionOf, type DeploymentNames } from '../discovery/deployment-names';
import { asRecord } from '../discovery/read-files';
import { warning, type Warning } from '../results';
import type { Catalog } from '../catalog/schemas';
import { generatedNamePattern } from './template-scope';
import { extractCfnResources, type TemplateScope } from './cfn-resources';
import { attributeResolver, scopeNestedTemplates } from './nested-stacks';
import type { TemplateFile } from './template-files';

/** The inventory category of an assembly's stacks (reasons read `stack/<stack name>`). */
export const STACK_CATEGORY = 'stack';

/** The stacks of one account and region: what one set of bootstrap roles deploys. */
export interface AssemblyEnvironment {
  readonly account?: string;
  readonly region?: string;
  readonly stacks: readonly AssemblyStack[];
}

/** What the engine needs of one environment of an assembly (see EngineInput in src/engine.ts). */
export interface AssemblyInventory {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  readonly names: DeploymentNames;
  /** The literal names inside the deployment beside account and region: stack names and their cut, staging buckets (the engine's envelope anchors). */
  readonly anchors: readonly string[];
  /** Name prefixes a fold may not cut short: the stack names (and CloudFormation's cut of them). */
  readonly foldAnchors: readonly string[];
}

/** The assembly's stacks grouped by environment, in the manifest's order. */
export function environmentsOf(assembly: CloudAssembly): AssemblyEnvironment[] {
  const groups = new Map<string, { account?: string; region?: string; stacks: AssemblyStack[] }>();
  for (const stack of assembly.stacks) {
    const key = `${stack.account ?? '?'}/${stack.region ?? '?'}`;
    const group = groups.get(key) ?? { account: stack.account, region: stack.region, stacks: [] };
    group.stacks.push(stack);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function inventoryFromAssembly(
  assembly: CloudAssembly,
  environment: AssemblyEnvironment,
  catalog: Catalog,
  permissionsBoundaryArn?: string,
): AssemblyInventory {
  const { account, region, stacks } = environment;
  const partition = partitionOf(region);
  const prefixLength = catalog.resourceNames.generatedNames.stackNamePrefixLength;
  const warnings: Warning[] = [];
  const resources = stacks.map((stack) =>
    stackResource(stack, { partition, account, region, prefixLength, catalog, warnings }),
  );
  const stagingBuckets = [...new Set(stacks.flatMap((s) => s.fileAssets.map((a) => a.bucketName)))];
  const names: DeploymentNames = {
    Partition: partition,
    Region: region ?? '*',
    Account: account ?? '*',
    Env: '*',
    RootStackName: stacks[0]?.stackName ?? '*',
    DeploymentBucket: stagingBuckets[0] ?? '*',
    AppId: '*',
    AuthRoleName: '*',
    UnauthRoleName: '*',
    PermissionsBoundaryArn: permissionsBoundaryArn ?? `arn:${partition}:iam::${account ?? '*'}:policy/*`,
  };
  const stackAnchors = stacks.flatMap((s) => [s.stackName, s.stackName.slice(0, prefixLength)]);
  const literal = (value: string): boolean => !/[*?]/.test(value);
  return {
    context: {
      rootDir: assembly.rootDir,
      projectName: assembly.appName,
      ...(region ? { region } : {}),
      ...(account ? { accountId: account } : {}),
      ...(permissionsBoundaryArn ? { permissionsBoundaryArn } : {}),
      envNames: [],
      warnings: [...assembly.warnings, ...environmentWarnings(environment)],
    },
    inventory: {
      resources,
      features: stacks.some((s) => s.stackTags) ? ['stackTags'] : [],
      warnings,
      changes: [],
    },
    names,
    anchors: [...new Set([...stackAnchors, ...stagingBuckets].filter(literal))].sort(),
    foldAnchors: [...new Set(stackAnchors)],
  };
}

/** What an environment-agnostic stack leaves unknown, and how to fill it in. */
function environmentWarnings({ account, region, stacks }: AssemblyEnvironment): Warning[] {
  const missing = [account ? undefined : 'account', region ? undefined : 'region'].filter(Boolean);
  if (missing.length === 0) return [];
  return [
    warning(
      'environment-agnostic',
      `${stacks.map((s) => s.stackName).join(', ')}: environment-agnostic (no ${missing.join(' or ')} in the assembly), so ARNs use * for the ${missing.join(' and ')}.`,
    ),
  ];
}

interface StackScope {
  readonly partition: string;
  readonly account?: string;
  readonly region?: string;
  readonly prefixLength: number;
  readonly catalog: Catalog;
  readonly warnings: Warning[];
}

/** One stack with the resources of its templates, nested stacks resolved with what their parents pass. */
function stackResource(stack: AssemblyStack, scope: StackScope): InventoryResource {
  // A template read leniently (not strict JSON) says so, as an Amplify project's does.
  scope.warnings.push(...stack.templates.flatMap((t) => (t.warning ? [t.warning] : [])));
  const { scoped, missing } = scopeNestedTemplates(stack.templates, ({ template }, passed, nestedName) =>
    templateScope(template, passed, nestedName ?? stack.stackName, scope),
  );
  for (const { parent, stack: nested } of missing)
    scope.warnings.push(
      warning(
        'assembly-incomplete',
        `${parent}: the nested stack ${nested.logicalId} deploys ${nested.url}, which is not in the assembly, so the policy has nothing for that stack's resources.`,
      ),
    );
  const cfnResources: CfnResource[] = scoped.flatMap(({ template: { file, template }, scope: resolved }) =>
    extractCfnResources(template, file, resolved, scope.catalog.resourceNames),
  );
  return {
    category: STACK_CATEGORY,
    service: 'CloudFormation',
    name: stack.stackName,
    imported: false,
    templateFiles: stack.templates.map((t) => t.file),
    typesFrom: 'templates',
    cfnResources,
  };
}

function templateScope(
  template: TemplateFile['template'],
  passed: Readonly<Record<string, string>>,
  stackName: string,
  scope: StackScope,
): TemplateScope {
  return {
    attribute: attributeResolver(template, scope.catalog.resourceNames, undefined),
    parameters: { ...parameterDefaults(template.Parameters), ...passed },
    conditions: template.Conditions ?? {},
    ...(scope.region ? { region: scope.region } : {}),
    ...(scope.account ? { accountId: scope.account } : {}),
    partition: scope.partition,
    stackName,
    generatedName: generatedNamePattern(stackName, scope.prefixLength),
  };
}

/**
 * Parameter defaults as values. An `AWS::SSM::Parameter::Value<...>` parameter's default is the
 * name of the SSM parameter, not its value: it stays unknown.
 */
function parameterDefaults(parameters: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(parameters ?? {})) {
    const { Default: fallback, Type: type } = asRecord(declaration);
    if (typeof type === 'string' && type.startsWith('AWS::SSM::Parameter::')) continue;
    if (typeof fallback === 'string' || typeof fallback === 'number') values[name] = String(fallback);
  }
  return values;
}
