import * as path from 'node:path';
import type { ProjectContext } from '../model';
import { asRecord, asString, readJsonIfExists } from './read-files';

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
  const warnings: string[] = [];
  const localEnvName = asString(localEnv.envName);
  const envName = options.envName ?? localEnvName ?? (envNames.length === 1 ? envNames[0] : undefined);
  if (!options.envName && !localEnvName) {
    warnings.push(
      envName
        ? `No checked-out env (amplify/.config/local-env-info.json); using the only env in team-provider-info.json: ${envName}.`
        : 'No env found (amplify/.config/local-env-info.json, team-provider-info.json): env names in ARNs are wildcards. Pass --env NAME to narrow them.',
    );
  }

  const fromTeam = providerOf(asRecord(teamProviderInfo[envName ?? '']));
  // amplify-meta.json describes the checked-out env only.
  const fromMeta =
    envName === undefined || envName === localEnvName || !localEnvName ? providerOf(meta.providers) : {};
  const pick = (key: keyof ProviderInfo): string | undefined => fromTeam[key] ?? fromMeta[key];

  const stackArn = pick('StackId');
  const roleArn = pick('AuthRoleArn') ?? pick('UnauthRoleArn');
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
    envNames,
    warnings,
  };
  warnings.push(...missingValueWarnings(context));
  return context;
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

function missingValueWarnings(context: ProjectContext): string[] {
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
        `Not deployed yet or not found in team-provider-info.json / amplify-meta.json: ${absent.join('; ')}. ` +
          'Run `amplify pull` (or push once) and generate again for tighter ARNs.',
      ];
}
