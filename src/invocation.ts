import path = require('node:path');
import type { AwsClients } from './aws/clients';
import type { CdkGenerateOptions } from './cdk-engine';
import type { GenerateOptions } from './engine';
import { ALL_PHASES, CDK_DEFAULT_PHASES, CDK_PHASES, DEFAULT_PHASES, type Phase } from './model';
import { VALUE_FORMATS } from './discovery/project-context';
import { usageError } from './errors';

/**
 * A command invocation, the same whether it comes from the Amplify CLI (context.input) or
 * from the standalone bin (argv): the command, its positional arguments and its options.
 */
export interface Invocation {
  readonly command?: string;
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
}

export interface CommandIo {
  /** Results (policy JSON, explanations). */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
}

export interface CommandEnv {
  readonly io: CommandIo;
  /** Where the project search starts when --project-dir is not given. */
  readonly cwd: string;
  /** The host CLI's credentials and region for the project (inside the Amplify CLI only). */
  readonly awsAccess?: () => Promise<{ credentials?: unknown; region?: string }>;
  /** The host CLI's yes/no prompt (inside the Amplify CLI only). */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** AWS clients to use instead of creating them (tests hand in mocked instances). */
  readonly awsClients?: AwsClients;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Option name → help text. */
  readonly options: Readonly<Record<string, string>>;
  run(invocation: Invocation, env: CommandEnv): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, string>> = {
  'project-dir': 'DIR  the Amplify project (default: the current folder, walking up to the project root)',
  help: 'show help',
};

/** Options of the commands that attach (attach, generate --attach). */
export const ATTACH_OPTIONS: Readonly<Record<string, string>> = {
  yes: 'apply the plan without asking (also -y)',
  'dry-run': 'print the plan and change nothing',
  profile: "NAME  AWS profile (standalone; inside the Amplify CLI the project's own credentials are used)",
  user: 'NAME  attach to this IAM user instead of the caller',
  role: 'NAME  attach to this IAM role instead of the caller',
  group: 'NAME  attach to this IAM group instead of the caller',
  force:
    "change policies at our path and names that are not this project's as they are (no owner tag, or changed in IAM since attach wrote them); the plan shows each diff",
};

/** Rejects options the command does not know, and `--k=v` (the Amplify CLI does not split it). */
export function checkOptions(invocation: Invocation, command: Command): void {
  for (const key of Object.keys(invocation.options)) {
    if (key.includes('=')) {
      const [name] = key.split('=');
      throw usageError(
        `Write --${name} VALUE, not --${key}.`,
        `The Amplify CLI passes --${key} as one option name; separate the value with a space.`,
      );
    }
    if (!(key in command.options) && !(key in COMMON_OPTIONS) && key !== 'yes' && key !== 'y') {
      throw usageError(
        `Unknown option --${key} for ${command.name}.`,
        `Run \`amplify least-privilege help\` for the options of ${command.name}.`,
      );
    }
  }
}

export function stringOption(invocation: Invocation, name: string): string | undefined {
  const value = invocation.options[name];
  if (value === undefined || value === false) return undefined;
  if (value === true || value === '') throw usageError(`--${name} needs a value.`, `Write --${name} VALUE.`);
  return value;
}

export const booleanOption = (invocation: Invocation, name: string): boolean => {
  const value = invocation.options[name];
  return value === true || value === 'true';
};

/** The engine options every command that generates shares: --project-dir, --phases, --env. */
export function generateOptions(
  invocation: Invocation,
  cwd: string,
  defaultPhases: readonly Phase[] = DEFAULT_PHASES,
): GenerateOptions {
  return {
    projectDir: path.resolve(cwd, stringOption(invocation, 'project-dir') ?? '.'),
    phases: phasesOption(invocation, defaultPhases),
    envName: stringOption(invocation, 'env'),
    permissionsBoundaryArn: boundaryOption(invocation),
  };
}

/** `--permissions-boundary ARN`: the ARN of a managed policy. */
function boundaryOption(invocation: Invocation): string | undefined {
  const arn = stringOption(invocation, 'permissions-boundary');
  if (arn !== undefined && !/^arn:aws[-a-z]*:iam::(\d{12}|aws):policy\/.+/.test(arn)) {
    throw usageError(
      `--permissions-boundary ${arn} is not the ARN of a managed policy.`,
      'Write --permissions-boundary arn:aws:iam::ACCOUNT:policy/NAME.',
    );
  }
  return arn;
}

/** `--phases push,init`: known phases, no duplicates; `fallback` without the option. */
export function phasesOption(invocation: Invocation, fallback: readonly Phase[] = DEFAULT_PHASES): Phase[] {
  const value = stringOption(invocation, 'phases');
  if (value === undefined) return [...fallback];
  const phases = value
    .split(',')
    .map((phase) => phase.trim())
    .filter(Boolean);
  const unknown = phases.filter((phase) => !ALL_PHASES.includes(phase as Phase));
  if (phases.length === 0 || unknown.length > 0) {
    throw usageError(
      `Unknown phase ${unknown.join(', ') || '(none)'} in --phases.`,
      `Use a comma list of ${ALL_PHASES.join(', ')}.`,
    );
  }
  return ALL_PHASES.filter((phase) => phases.includes(phase));
}

/** Options of generate and explain for a CDK app, an Amplify Gen 2 backend or plain templates. */
export const CDK_OPTIONS: Readonly<Record<string, string>> = {
  'cdk-out':
    'DIR  a synthesized CDK app instead of an Amplify Gen 1 project: its cdk.out folder, the app folder, or an Amplify Gen 2 project (.amplify/artifacts/cdk.out)',
  template: 'FILE  plain CloudFormation templates instead (repeat the option, or a comma list)',
  account:
    "ID  with --cdk-out/--template: the account environment-agnostic stacks deploy to (with attach: the caller's, and no other)",
  region: 'NAME  with --cdk-out/--template: the region environment-agnostic stacks deploy to',
};

/** Options that mean an Amplify Gen 1 project, refused with --cdk-out/--template. */
const GEN1_ONLY = ['project-dir', 'env', 'diff'];

/**
 * The CDK input of generate or explain (--cdk-out DIR, --template FILE...); undefined when
 * neither is given (an Amplify Gen 1 project). Phases: push (cdk deploy, the default), init
 * (a first deployment), delete (cdk destroy, and the deletes of resources that hold data).
 */
export function cdkOptions(invocation: Invocation, cwd: string): CdkGenerateOptions | undefined {
  const cdkOut = stringOption(invocation, 'cdk-out');
  const templateList = stringOption(invocation, 'template');
  if (cdkOut === undefined && templateList === undefined) {
    for (const name of ['account', 'region'])
      if (invocation.options[name] !== undefined)
        throw usageError(
          `--${name} is for CDK apps and templates.`,
          `Use it with --cdk-out DIR or --template FILE.`,
        );
    return undefined;
  }
  if (cdkOut !== undefined && templateList !== undefined)
    throw usageError(
      'Give --cdk-out or --template, not both.',
      'Synthesized apps: --cdk-out DIR; plain templates: --template FILE.',
    );
  for (const name of GEN1_ONLY)
    if (invocation.options[name] !== undefined && invocation.options[name] !== false)
      throw usageError(
        `--${name} is for Amplify Gen 1 projects, not for --cdk-out/--template.`,
        `Leave out --${name}.`,
      );
  const account = stringOption(invocation, 'account');
  if (account !== undefined && !VALUE_FORMATS.accountId.format.test(account))
    throw usageError(
      `--account ${account} is not an AWS account id.`,
      'Write the 12 digits, e.g. --account 123456789012.',
    );
  const region = stringOption(invocation, 'region');
  if (region !== undefined && !VALUE_FORMATS.region.format.test(region))
    throw usageError(
      `--region ${region} is not an AWS region.`,
      'Write a region name, e.g. --region eu-west-1.',
    );
  const phases = phasesOption(invocation, CDK_DEFAULT_PHASES);
  const other = phases.filter((phase) => !CDK_PHASES.includes(phase));
  if (other.length > 0)
    throw usageError(
      `--phases ${other.join(',')} are Amplify CLI commands; a CDK app deploys with CloudFormation only.`,
      'Use push (cdk deploy, the default), init (a first deployment) and delete (cdk destroy, and removing resources that hold data).',
    );
  return {
    ...(cdkOut !== undefined ? { cdkOut } : {}),
    ...(templateList !== undefined
      ? {
          templates: templateList
            .split(',')
            .map((file) => file.trim())
            .filter(Boolean),
        }
      : {}),
    cwd,
    phases,
    environment: { ...(account ? { account } : {}), ...(region ? { region } : {}) },
    permissionsBoundaryArn: boundaryOption(invocation),
  };
}
