import path = require('node:path');
import type { ProjectContext } from '../model';
import { projectError, usageError } from '../errors';
import { asRecord, asString, readJsonIfExists } from './read-files';
import { readGuardConfig } from './guard-config';
import { warning, type Warning } from '../results';

/** The provider block the CLI keeps per env (team-provider-info.json) and for the current env (amplify-meta.json). */
interface ProviderInfo {
  Region?: string;
  StackName?: string;
  StackId?: string;
  DeploymentBucketName?: string;
  AmplifyAppId?: string;
  AuthRoleArn?: string;
  UnauthRoleArn?: string;
  AuthRoleName?: string;
  UnauthRoleName?: string;
  PermissionsBoundaryPolicyArn?: string;
}

export interface ContextOptions {
  /** Env to generate for; default: the checked-out env (local-env-info.json). */
  readonly envName?: string;
  /** Boundary to require; default: the env's (team-provider-info.json PermissionsBoundaryPolicyArn). */
  readonly permissionsBoundaryArn?: string;
  /**
   * The env may be one team-provider-info.json does not list yet: the policy is for creating it
   * (`amplify env add`, phase init) or for removing it from a checkout that never pulled it
   * (phase delete). Otherwise an unknown env is an error (a typo).
   */
  readonly newEnvAllowed?: boolean;
  /** The guard verifies with IAM (its policy needs to simulate the caller); default: amplify/least-privilege/config.json. */
  readonly guardVerify?: boolean;
}

/**
 * Reads who and where the project deploys: project name, env, region, account, root stack,
 * deployment bucket, Amplify app id, permissions boundary. Values that cannot be found stay
 * undefined and a warning says which fallback pattern the policy will use instead.
 */
export function readProjectContext(rootDir: string, options: ContextOptions = {}): ProjectContext {
  // onlyKey: the part used here, for the guard's read log (these files hold machine paths and timestamps).
  const file = (relative: string, onlyKey?: string): unknown =>
    readJsonIfExists(path.join(rootDir, 'amplify', relative), rootDir, onlyKey);
  const projectConfig = asRecord(file('.config/project-config.json'));
  const localEnv = asRecord(file('.config/local-env-info.json', 'envName'));
  const teamProviderInfo = asRecord(file('team-provider-info.json'));
  const meta = asRecord(file('backend/amplify-meta.json', 'providers'));

  const envNames = Object.keys(teamProviderInfo).sort();
  const warnings: Warning[] = [];
  const localEnvName = asString(localEnv.envName);
  const envName = options.envName ?? localEnvName ?? (envNames.length === 1 ? envNames[0] : undefined);
  if (!options.envName && !localEnvName) {
    warnings.push(
      envName
        ? warning(
            'env-guessed',
            `No checked-out env (amplify/.config/local-env-info.json); using the only env in team-provider-info.json: ${envName}.`,
          )
        : warning(
            'env-unknown',
            'No env found (amplify/.config/local-env-info.json, team-provider-info.json): env names in ARNs are wildcards.',
          ),
    );
  }

  const fromTeam = providerOf(asRecord(teamProviderInfo[envName ?? '']));
  // amplify-meta.json describes the checked-out env only.
  const fromMeta =
    envName === undefined || envName === localEnvName || !localEnvName ? providerOf(meta.providers) : {};
  const pick = (key: keyof ProviderInfo): string | undefined => fromTeam[key] ?? fromMeta[key];

  const stackArn = pick('StackId');
  const roleArn = pick('AuthRoleArn') ?? pick('UnauthRoleArn');
  for (const key of ['StackId', 'AuthRoleArn', 'UnauthRoleArn'] as const) validateRecordedArn(key, pick(key));
  const accountId = accountOf(stackArn) ?? accountOf(roleArn);
  const region = pick('Region') ?? regionOf(stackArn);
  const rootStackName = pick('StackName');
  const context: ProjectContext = {
    rootDir,
    projectName: asString(projectConfig.projectName) ?? projectNameFromStack(rootStackName, envName),
    envName,
    region,
    accountId,
    rootStackName,
    deploymentBucket: pick('DeploymentBucketName'),
    appId: pick('AmplifyAppId'),
    authRoleName: pick('AuthRoleName'),
    unauthRoleName: pick('UnauthRoleName'),
    permissionsBoundaryArn: options.permissionsBoundaryArn ?? pick('PermissionsBoundaryPolicyArn'),
    frontend: asString(projectConfig.frontend),
    guardVerify: options.guardVerify ?? readGuardConfig(rootDir).config.verify,
    envNames,
    deployedOutputs: envName === undefined || envName === localEnvName ? outputsOf(meta) : {},
    warnings,
  };
  validateContext(context, options);
  if (options.envName !== undefined && !options.newEnvAllowed)
    requireKnownEnv(options.envName, envNames, localEnvName);
  warnings.push(...missingValueWarnings(context));
  return context;
}

/**
 * The formats AWS (and the Amplify CLI) give these values. ARNs are built from them, so a value
 * holding `*` or `?` (or anything else outside its format) would widen the policy: an error, not a pattern.
 */
export const VALUE_FORMATS: Readonly<Record<string, { readonly format: RegExp; readonly says: string }>> = {
  envName: {
    format: /^[a-zA-Z0-9]{1,20}$/,
    says: 'letters and digits (the Amplify CLI: 2 to 10 lowercase letters)',
  },
  region: { format: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, says: 'an AWS region such as us-east-1' },
  accountId: { format: /^\d{12}$/, says: 'twelve digits' },
  rootStackName: {
    format: /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/,
    says: 'a CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters',
  },
  deploymentBucket: {
    format: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    says: 'an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
  },
  appId: {
    format: /^d[a-z0-9]{1,19}$/,
    says: 'an Amplify app id: d followed by lowercase letters and digits',
  },
  authRoleName: {
    format: /^[\w+=,.@-]{1,64}$/,
    says: 'an IAM role name: up to 64 of A-Z a-z 0-9 + = , . @ _ -',
  },
  unauthRoleName: {
    format: /^[\w+=,.@-]{1,64}$/,
    says: 'an IAM role name: up to 64 of A-Z a-z 0-9 + = , . @ _ -',
  },
  permissionsBoundaryArn: {
    format: /^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/,
    says: 'an IAM managed policy ARN (arn:aws:iam::123456789012:policy/NAME)',
  },
};

const RECORDED_ARNS: Readonly<Record<string, RegExp>> = {
  StackId:
    /^arn:aws(-[a-z]+)*:cloudformation:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:stack\/[a-zA-Z][-a-zA-Z0-9]*\/[-a-zA-Z0-9]+$/,
  AuthRoleArn: /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
  UnauthRoleArn: /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
};

/** The ARNs the CLI records, from which account and region are read: malformed ones are errors. */
function validateRecordedArn(key: string, value: string | undefined): void {
  if (value === undefined || RECORDED_ARNS[key].test(value)) return;
  throw projectError(
    `Invalid ${key} ${JSON.stringify(value)} in amplify/team-provider-info.json or amplify-meta.json: not an ARN of the shape the Amplify CLI records.`,
    'Fix the value (e.g. with `amplify pull`), then run again.',
  );
}

/** Values a flag gives (a usage error) rather than a project file. */
const FROM_OPTIONS: Readonly<Record<string, keyof ContextOptions>> = {
  envName: 'envName',
  permissionsBoundaryArn: 'permissionsBoundaryArn',
};

function validateContext(context: ProjectContext, options: ContextOptions): void {
  for (const [key, { format, says }] of Object.entries(VALUE_FORMATS)) {
    const value = (context as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'string' || format.test(value)) continue;
    const option = FROM_OPTIONS[key];
    const wildcard = /[*?]/.test(value) ? ' It holds a wildcard: values are names, never patterns.' : '';
    const message = `Invalid ${key} ${JSON.stringify(value)}: expected ${says}.${wildcard}`;
    if (option && options[option] !== undefined) {
      throw usageError(
        message,
        `Pass --${option === 'envName' ? 'env' : 'permissions-boundary'} with a valid value.`,
      );
    }
    throw projectError(
      message,
      'Fix the value in amplify/team-provider-info.json (or amplify/backend/amplify-meta.json, amplify/.config/local-env-info.json), e.g. with `amplify pull`, then run again.',
    );
  }
}

/**
 * `--env NAME` names an env of the project: one team-provider-info.json lists, or the checked-out
 * one. A typo would otherwise give a policy for an env nobody deploys, with wildcards where its
 * names should be. Without a team-provider-info.json listing envs there is nothing to check against.
 */
function requireKnownEnv(envName: string, envNames: readonly string[], localEnvName?: string): void {
  const known = [...new Set([...envNames, ...(localEnvName ? [localEnvName] : [])])].sort();
  if (envNames.length === 0 || known.includes(envName)) return;
  throw projectError(
    `Env ${JSON.stringify(envName)} does not exist in this project; its envs (amplify/team-provider-info.json): ${known.join(', ')}.`,
    `Pass ${known.length === 1 ? `--env ${known[0]}` : `--env with one of ${known.join(', ')}`} (or leave --env out for the checked-out env), or create the env first with \`amplify env add\`.`,
  );
}

/** `category/name` → the string outputs amplify-meta.json records for it (ids the services assigned). */
function outputsOf(meta: Record<string, unknown>): Record<string, Record<string, string>> {
  const outputs: Record<string, Record<string, string>> = Object.create(null) as Record<
    string,
    Record<string, string>
  >;
  for (const [category, resources] of Object.entries(meta)) {
    if (category === 'providers') continue;
    for (const [name, resource] of Object.entries(asRecord(resources))) {
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(asRecord(asRecord(resource).output))) {
        const text = asString(value);
        // Ids are names: a value with a wildcard or outside the id characters is not one.
        if (text && /^[\w:.-]{1,128}$/.test(text)) values[key] = text;
      }
      if (Object.keys(values).length > 0) outputs[`${category}/${name}`] = values;
    }
  }
  return outputs;
}

function providerOf(value: unknown): ProviderInfo {
  const block = asRecord(asRecord(value).awscloudformation);
  const info: Record<string, string> = {};
  for (const [key, v] of Object.entries(block)) {
    const s = asString(v);
    if (s) info[key] = s;
  }
  return info as ProviderInfo;
}

const ARN = /^arn:[^:]+:[^:]+:([^:]*):(\d{12}):/;
const accountOf = (arn: string | undefined): string | undefined => (arn ? ARN.exec(arn)?.[2] : undefined);
const regionOf = (arn: string | undefined): string | undefined =>
  arn ? ARN.exec(arn)?.[1] || undefined : undefined;

/** `amplify-<project>-<env>-<suffix>` (initializer.ts normalizeStackName): the project part, when the shape fits. */
function projectNameFromStack(
  stackName: string | undefined,
  envName: string | undefined,
): string | undefined {
  if (!stackName || !envName) return undefined;
  const match = new RegExp(`^amplify-(.+)-${escapeRegExp(envName)}-[0-9a-z]+$`).exec(stackName);
  return match?.[1];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function missingValueWarnings(context: ProjectContext): Warning[] {
  const missing: Array<[unknown, string]> = [
    [context.region, 'region (ARNs use * for the region)'],
    [context.accountId, 'AWS account id (ARNs use * for the account)'],
    [context.rootStackName, 'root stack name (stacks and generated names match amplify-<project>-<env>-*)'],
    [context.deploymentBucket, 'deployment bucket (matches <root stack>-deployment)'],
    [context.appId, 'Amplify app id (SSM parameters and the app ARN use * for it)'],
  ];
  const absent = missing.filter(([value]) => value === undefined).map(([, what]) => what);
  return absent.length === 0
    ? []
    : [
        warning(
          'not-deployed',
          `Not deployed yet or not found in team-provider-info.json / amplify-meta.json: ${absent.join('; ')}.`,
        ),
      ];
}
