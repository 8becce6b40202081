/**
 * The CDK front end of the engine: a cloud assembly (or plain templates) → per environment, the
 * CloudFormation execution role's policy and the deployer's policy, each through the same
 * engine as Gen 1 (`policiesFor` in src/engine.ts: scoping, conditions, merging, splitting,
 * folding, widenings, validation).
 */
import { policiesFor, type GenerateResult } from './engine';
import { CDK_DEFAULT_PHASES, type Phase } from './model';
import type { Envelope } from './policy/envelope';
import {
  readCloudAssembly,
  readPlainTemplates,
  type AssemblyStack,
  type CloudAssembly,
  type EnvironmentValues,
} from './inventory/cdk-assembly';
import { environmentsOf, inventoryFromAssembly, type AssemblyEnvironment } from './inventory/from-assembly';
import { NO_OVERRIDES } from './overrides/overrides-file';
import { loadCatalog } from './catalog/catalog';
import { deployerRequirements, executionRoleRequirements } from './requirements/cdk-requirements';

export interface CdkGenerateOptions {
  /** A cdk.out folder, an app folder holding one, or an Amplify Gen 2 project. */
  readonly cdkOut?: string;
  /** Plain CloudFormation templates (used when cdkOut is not given). */
  readonly templates?: readonly string[];
  /** Where relative paths start. */
  readonly cwd: string;
  /** @default ['push'] (cdk deploy: create, update, rollback, deletes of resources that hold no data) */
  readonly phases?: readonly Phase[];
  /** For environment-agnostic stacks: where cdk deploy will deploy them. */
  readonly environment?: EnvironmentValues;
  readonly permissionsBoundaryArn?: string;
}

/** Who a set of documents is for. */
export type CdkPrincipal = 'execution-role' | 'deployer';

/** The documents for one principal in one environment. */
export interface CdkTarget {
  readonly principal: CdkPrincipal;
  readonly account?: string;
  readonly region?: string;
  /** The stacks the documents deploy. */
  readonly stacks: readonly string[];
  /** The bootstrap qualifier of these stacks, when they use bootstrap roles. */
  readonly qualifier?: string;
  /** The execution role's ARN as the manifest names it (execution-role targets of an assembly). */
  readonly roleArn?: string;
  /** Stacks whose deployer policy is direct (no bootstrap roles): the CLI's calls and CloudFormation's through the caller. */
  readonly directStacks: readonly string[];
  readonly result: GenerateResult;
}

export interface CdkGenerateResult {
  readonly assembly: CloudAssembly;
  readonly phases: readonly Phase[];
  readonly targets: readonly CdkTarget[];
}

export async function generateForAssembly(options: CdkGenerateOptions): Promise<CdkGenerateResult> {
  const environment = options.environment ?? {};
  const assembly =
    options.cdkOut !== undefined
      ? readCloudAssembly(options.cdkOut, environment)
      : readPlainTemplates(options.templates ?? [], options.cwd, environment);
  const phases = options.phases ?? CDK_DEFAULT_PHASES;
  const environments = environmentsOf(assembly);
  const targets: CdkTarget[] = [];
  for (const env of environments) {
    const suffix = environments.length > 1 ? `-${env.account ?? 'any'}-${env.region ?? 'any'}` : '';
    targets.push(
      ...(await environmentTargets(assembly, env, phases, suffix, options.permissionsBoundaryArn)),
    );
  }
  return { assembly, phases, targets };
}

/** The execution role's and the deployer's documents for the stacks of one environment. */
async function environmentTargets(
  assembly: CloudAssembly,
  env: AssemblyEnvironment,
  phases: readonly Phase[],
  suffix: string,
  permissionsBoundaryArn: string | undefined,
): Promise<CdkTarget[]> {
  const catalog = loadCatalog();
  const plain = assembly.source === 'templates';
  // Plain templates may be deployed either way: with a service role, or with the caller's own credentials.
  const withRole = env.stacks.filter((s) => plain || s.executionRoleArn !== undefined);
  const bootstrapped = env.stacks.filter((s) => !plain && s.deployRoleArn !== undefined);
  const direct = env.stacks.filter((s) => plain || s.deployRoleArn === undefined);
  // The front end of a set of stacks, read once per set (the role's stacks are often all of them).
  const parts = new Map<string, AssemblyModel>();
  const part = (stacks: readonly AssemblyStack[]): AssemblyModel => {
    const key = stacks.map((s) => s.stackName).join('\n');
    let model = parts.get(key);
    if (!model) {
      const { anchors, ...read } = inventoryFromAssembly(
        assembly,
        { ...env, stacks },
        catalog,
        permissionsBoundaryArn,
      );
      model = { ...read, envelope: assemblyEnvelope(read.names.Partition, env, anchors) };
      parts.set(key, model);
    }
    return model;
  };
  const base = { account: env.account, region: env.region };
  const targets: CdkTarget[] = [];
  if (withRole.length > 0) {
    const input = part(withRole);
    const collected = executionRoleRequirements(input.inventory, withRole, phases, catalog, input.names);
    const roleArns = [...new Set(withRole.flatMap((s) => s.executionRoleArn ?? []))];
    targets.push({
      principal: 'execution-role',
      ...base,
      stacks: withRole.map((s) => s.stackName),
      qualifier: qualifierOf(withRole),
      ...(roleArns.length === 1 ? { roleArn: roleArns[0] } : {}),
      directStacks: [],
      result: await policiesFor(
        {
          ...input,
          collected,
          baseName: `${assembly.appName}-cfn-exec-role${suffix}-least-privilege`,
          overrides: NO_OVERRIDES,
          inputs: [],
        },
        phases,
      ),
    });
  }
  const input = part(env.stacks);
  const directInput = part(direct);
  const collected = deployerRequirements(
    bootstrapped,
    { inventory: directInput.inventory, stacks: direct },
    phases,
    catalog,
    input.names,
  );
  targets.push({
    principal: 'deployer',
    ...base,
    stacks: env.stacks.map((s) => s.stackName),
    qualifier: qualifierOf(bootstrapped),
    directStacks: direct.map((s) => s.stackName),
    result: await policiesFor(
      {
        ...input,
        // The deployer's own grants name no resource of the stacks but the direct ones'.
        inventory: directInput.inventory,
        collected,
        baseName: `${assembly.appName}-cdk-deployer${suffix}-least-privilege`,
        overrides: NO_OVERRIDES,
        inputs: [],
      },
      phases,
    ),
  });
  return targets;
}

type AssemblyModel = Omit<ReturnType<typeof inventoryFromAssembly>, 'anchors'> & {
  readonly envelope: Envelope;
};

/** What counts as inside one environment's deployment: its account and region (when known), stack names, staging buckets. */
function assemblyEnvelope(partition: string, env: AssemblyEnvironment, anchors: readonly string[]): Envelope {
  return {
    partition,
    ...(env.region ? { region: env.region } : {}),
    ...(env.account ? { account: env.account } : {}),
    anchors,
    unrecordedBecause: 'an environment-agnostic stack: give --account and --region',
  };
}

function qualifierOf(stacks: readonly AssemblyStack[]): string | undefined {
  const qualifiers = [...new Set(stacks.flatMap((s) => s.qualifier ?? []))];
  return qualifiers.length === 1 ? qualifiers[0] : undefined;
}
