import type { ProjectContext } from '../model';
import type { DeploymentNames } from '../discovery/deployment-names';
import { asRecord } from '../discovery/read-files';
import type { Catalog } from '../catalog/schemas';
import type { TemplateScope } from './cfn-resources';
import { unknownBecause } from './intrinsics';

/**
 * The scope a template's intrinsic functions resolve in: its stack's name and generated-name
 * prefix, the parameters it is passed (the root stack's, the project's, its own defaults),
 * its conditions, and the project's partition, region and account.
 */
export function templateScope(
  stackName: string,
  parameters: Record<string, string>,
  conditions: Record<string, unknown> | undefined,
  context: ProjectContext | undefined,
  names: DeploymentNames,
  catalog: Catalog,
  attribute?: TemplateScope['attribute'],
): TemplateScope {
  const prefixLength = catalog.resourceNames.generatedNames.stackNamePrefixLength;
  return {
    ...(attribute ? { attribute } : {}),
    parameters,
    conditions: conditions ?? {},
    region: context?.region ?? (names.Region === '*' ? undefined : names.Region),
    accountId: names.Account === '*' ? undefined : names.Account,
    partition: names.Partition,
    stackName,
    generatedName: generatedNamePattern(stackName, prefixLength),
  };
}

/**
 * CloudFormation cuts the stack name to `prefixLength` characters in generated names. A `*`
 * in the pattern stands for an unknown number of characters, so the cut stops at the first one.
 */
export function generatedNamePattern(stackName: string, prefixLength: number): string {
  const wildcard = stackName.indexOf('*');
  const cut = wildcard >= 0 && wildcard < prefixLength ? wildcard : prefixLength;
  return `${stackName.slice(0, cut)}*`;
}

/** Parameters the root stack passes to every nested stack (provider push-resources.ts). */
export function nestedStackParameters(names: DeploymentNames): Record<string, string> {
  const values: Record<string, string> = {
    deploymentBucketName: names.DeploymentBucket,
    authRoleName: names.AuthRoleName,
    unauthRoleName: names.UnauthRoleName,
  };
  // No env: * (never the templates' NONE default, which would pick the names of no real env).
  values.env = names.Env !== '*' ? names.Env : unknownBecause('no env is checked out or named (--env)');
  return values;
}

export function knownParameters(names: DeploymentNames): Record<string, string> {
  return {
    AppId: names.AppId,
    Env: names.Env,
    RootStackName: names.RootStackName,
    DeploymentBucket: names.DeploymentBucket,
    AuthRoleName: names.AuthRoleName,
    UnauthRoleName: names.UnauthRoleName,
  };
}

export function defaultsOf(parameters: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(parameters ?? {})) {
    const fallback = asRecord(declaration).Default;
    if (typeof fallback === 'string' || typeof fallback === 'number') values[name] = String(fallback);
  }
  return values;
}

export function stringValues(value: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, v] of Object.entries(asRecord(value))) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[key] = String(v);
  }
  return values;
}
