import type { ProjectContext } from '../model';

/**
 * The names ARNs are built from, as patterns: the known value, or the narrowest pattern that
 * still matches it when the project does not record it (the warnings of the context say which).
 */
export interface DeploymentNames {
  readonly Partition: string;
  readonly Region: string;
  readonly Account: string;
  readonly Env: string;
  readonly RootStackName: string;
  readonly DeploymentBucket: string;
  readonly AppId: string;
  readonly AuthRoleName: string;
  readonly UnauthRoleName: string;
  readonly PermissionsBoundaryArn: string;
}

export function deploymentNames(context: ProjectContext): DeploymentNames {
  const env = context.envName ?? '*';
  const rootStack = context.rootStackName ?? `amplify-${normalizedProjectName(context.projectName)}-${env}-*`;
  const account = context.accountId ?? '*';
  const partition = partitionOf(context.region);
  return {
    Partition: partition,
    Region: context.region ?? '*',
    Account: account,
    Env: env,
    RootStackName: collapse(rootStack),
    DeploymentBucket: collapse(context.deploymentBucket ?? `${rootStack}-deployment`),
    AppId: context.appId ?? '*',
    AuthRoleName: collapse(context.authRoleName ?? `${rootStack}-authRole`),
    UnauthRoleName: collapse(context.unauthRoleName ?? `${rootStack}-unauthRole`),
    PermissionsBoundaryArn: context.permissionsBoundaryArn ?? `arn:${partition}:iam::${account}:policy/*`,
  };
}

/** Stack names allow only [-a-zA-Z0-9]; the CLI lowercases the project name (initializer.ts normalizeStackName). */
function normalizedProjectName(projectName: string | undefined): string {
  const normalized = (projectName ?? '').toLowerCase().replace(/[^-a-z0-9]/g, '');
  return normalized || '*';
}

/** The partition of a region (aws, aws-cn, aws-us-gov); `aws` when the region is unknown. */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Replaces `${Name}` placeholders with deployment names; unknown placeholders become `*`. */
export function fillTemplate(template: string, names: DeploymentNames): string {
  return collapse(
    template.replace(
      /\$\{(\w+)\}/g,
      (_, key: string) => (names as unknown as Record<string, string>)[key] ?? '*',
    ),
  );
}

const collapse = (value: string): string => value.replace(/\*+/g, '*');
