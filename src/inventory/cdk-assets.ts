/**
 * A cloud assembly's environments and assets: the `aws://account/region` of a stack, the
 * manifest's placeholders, the bootstrap qualifier, and the file and image assets of the asset
 * manifests a stack depends on, with their destinations as synthesized.
 */
import path = require('node:path');
import { partitionOf } from '../discovery/deployment-names';
import { VALUE_FORMATS } from '../discovery/project-context';
import { asRecord, asString, readJsonIfExists } from '../discovery/read-files';
import { isInside } from '../discovery/safe-names';
import { warning, type Warning } from '../results';

/** A file the CLI uploads to the staging bucket, as the asset manifest names its destination. */
export interface FileAsset {
  readonly bucketName: string;
  readonly objectKey: string;
  /** The role that publishes it (`file-publishing-role`); undefined: the CLI's own credentials. */
  readonly publishRoleArn?: string;
  /** The asset's file in the assembly (relative to the assembly folder). */
  readonly sourcePath?: string;
}

export interface ImageAsset {
  readonly repositoryName: string;
  readonly imageTag: string;
  readonly publishRoleArn?: string;
}

/** Values that fill a manifest's `${AWS::AccountId}`-style placeholders; unknown ones stay `*`. */
export interface EnvironmentValues {
  readonly account?: string;
  readonly region?: string;
}

/** `aws://123456789012/eu-west-1`; `unknown-account`/`unknown-region` take the given values, if any. */
export function environmentOf(environment: string | undefined, env: EnvironmentValues): EnvironmentValues {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  const account = match && VALUE_FORMATS.accountId.format.test(match[1]) ? match[1] : env.account;
  const region = match && VALUE_FORMATS.region.format.test(match[2]) ? match[2] : env.region;
  return { ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/** The manifest's placeholders: `${AWS::Partition}`, `${AWS::AccountId}`, `${AWS::Region}`. */
export function fillPlaceholders(text: string, env: EnvironmentValues): string {
  return text
    .replace(/\$\{AWS::Partition\}/g, partitionOf(env.region))
    .replace(/\$\{AWS::AccountId\}/g, env.account ?? '*')
    .replace(/\$\{AWS::Region\}/g, env.region ?? '*');
}

/** `cdk-<qualifier>-deploy-role-...`, else `/cdk-bootstrap/<qualifier>/version`. */
export function qualifierOf(
  deployRoleArn: string | undefined,
  versionParameter: string | undefined,
): string | undefined {
  return (
    /:role\/cdk-([a-z0-9]+)-deploy-role-/.exec(deployRoleArn ?? '')?.[1] ??
    /^\/cdk-bootstrap\/([a-z0-9]+)\/version$/.exec(versionParameter ?? '')?.[1]
  );
}

/** The assets of the asset manifests the stack depends on, with their destinations' placeholders filled. */
export function assetsOf(
  artifact: Record<string, unknown>,
  artifacts: Record<string, unknown>,
  assemblyDir: string,
  rootDir: string,
  place: EnvironmentValues,
  warnings: Warning[],
): { files: FileAsset[]; images: ImageAsset[] } {
  const files: FileAsset[] = [];
  const images: ImageAsset[] = [];
  const dependencies = Array.isArray(artifact.dependencies) ? artifact.dependencies : [];
  for (const dependency of dependencies) {
    const manifest = typeof dependency === 'string' ? asRecord(artifacts[dependency]) : {};
    if (manifest.type !== 'cdk:asset-manifest') continue;
    const name = asString(asRecord(manifest.properties).file);
    const file = name ? path.resolve(assemblyDir, name) : undefined;
    if (!file || !isInside(assemblyDir, file)) {
      warnings.push(
        warning(
          'assembly-incomplete',
          `Asset manifest ${String(dependency)} skipped: its file ${name ?? '(none)'} is not in the assembly.`,
        ),
      );
      continue;
    }
    const assets = asRecord(readJsonIfExists(file, rootDir));
    for (const entry of Object.values(asRecord(assets.files))) {
      const sourcePath = asString(asRecord(asRecord(entry).source).path);
      for (const { destination: d, at, publisher } of destinationsOf(entry, place)) {
        const bucketName = asString(d.bucketName);
        const objectKey = asString(d.objectKey);
        if (!bucketName || !objectKey) continue;
        files.push({
          bucketName: fillPlaceholders(bucketName, at),
          objectKey: fillPlaceholders(objectKey, at),
          ...publisher,
          ...(sourcePath ? { sourcePath } : {}),
        });
      }
    }
    for (const entry of Object.values(asRecord(assets.dockerImages))) {
      for (const { destination: d, at, publisher } of destinationsOf(entry, place)) {
        const repositoryName = asString(d.repositoryName);
        const imageTag = asString(d.imageTag);
        if (!repositoryName || !imageTag) continue;
        images.push({ repositoryName: fillPlaceholders(repositoryName, at), imageTag, ...publisher });
      }
    }
  }
  return { files, images };
}

/**
 * The destinations of an asset manifest entry: each with the environment it publishes to (its
 * own region, if it names one) and the role that publishes it.
 */
function destinationsOf(
  entry: unknown,
  place: EnvironmentValues,
): Array<{
  destination: Record<string, unknown>;
  at: EnvironmentValues;
  publisher: { publishRoleArn?: string };
}> {
  return Object.values(asRecord(asRecord(entry).destinations)).map((value) => {
    const destination = asRecord(value);
    const region = asString(destination.region);
    const at = region ? { ...place, region } : place;
    const role = asString(destination.assumeRoleArn);
    return { destination, at, publisher: role ? { publishRoleArn: fillPlaceholders(role, at) } : {} };
  });
}
