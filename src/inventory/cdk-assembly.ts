/**
 * Reads what a CDK app (or an Amplify Gen 2 backend, or plain CloudFormation templates) will
 * deploy: a cloud assembly's manifest.json, its stack templates and the nested templates they
 * deploy, and its asset manifests. Stack names, environments (account, region), the bootstrap
 * roles and the assets come from the manifest exactly as synthesized; nothing is guessed here.
 */
import fs = require('node:fs');
import path = require('node:path');
import { noProjectError, projectError, usageError } from '../errors';
import { asRecord, asString, readJsonIfExists } from '../discovery/read-files';
import { isInside } from '../discovery/safe-names';
import { warning, type Warning } from '../results';
import { readTemplateAt, type TemplateFile } from './template-files';
import {
  assetsOf,
  environmentOf,
  fillPlaceholders,
  qualifierOf,
  type EnvironmentValues,
  type FileAsset,
  type ImageAsset,
} from './cdk-assets';
import { nestedTemplates, ssmParametersOf } from './cdk-nested-templates';

export type { EnvironmentValues };

/** Where `--cdk-out` may point, and where an Amplify Gen 2 project keeps its synthesized assembly. */
export const GEN2_ASSEMBLY = path.join('.amplify', 'artifacts', 'cdk.out');
const MANIFEST = 'manifest.json';

export type AssemblySource = 'cdk-out' | 'amplify-gen2' | 'templates';

/** One `aws:cloudformation:stack` artifact (or one --template file). */
export interface AssemblyStack {
  /** The artifact id (the construct path's stack id). */
  readonly id: string;
  readonly stackName: string;
  /** undefined: environment-agnostic (`unknown-account`), filled by --account or left unknown. */
  readonly account?: string;
  readonly region?: string;
  /** The stack's template first, then the nested templates it deploys (files relative to the root). */
  readonly templates: readonly TemplateFile[];
  /** Role ARNs with the manifest's placeholders filled (an unknown account or region as `*`). */
  readonly deployRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly lookupRoleArn?: string;
  /** The bootstrap qualifier (`hnb659fds` by default), from the role names or the version parameter. */
  readonly qualifier?: string;
  readonly fileAssets: readonly FileAsset[];
  readonly imageAssets: readonly ImageAsset[];
  /** Names of the SSM parameters the templates' `AWS::SSM::Parameter::Value<...>` parameters read. */
  readonly ssmParameters: readonly string[];
  /** Stack tags (manifest `tags`): CloudFormation tags every resource with them. */
  readonly stackTags: boolean;
}

export interface CloudAssembly {
  /** Where outputs go: the app's folder (the one holding cdk.out), or the working folder for --template. */
  readonly rootDir: string;
  /** The assembly folder relative to rootDir (undefined for --template). */
  readonly assemblyDir?: string;
  readonly source: AssemblySource;
  /** A name for the policies: the app's folder name. */
  readonly appName: string;
  readonly stacks: readonly AssemblyStack[];
  readonly warnings: readonly Warning[];
}

/**
 * The assembly folder for `--cdk-out DIR`: DIR itself when it holds manifest.json, else its
 * cdk.out, else an Amplify Gen 2 project's .amplify/artifacts/cdk.out. When none is there, the
 * error says how to synthesize one.
 */
export function findAssemblyDir(dir: string): {
  assemblyDir: string;
  rootDir: string;
  source: AssemblySource;
} {
  const start = path.resolve(dir);
  if (!fs.existsSync(start))
    throw usageError(`--cdk-out ${dir} does not exist.`, 'Give the cdk.out folder of a synthesized CDK app.');
  if (fs.existsSync(path.join(start, MANIFEST))) {
    const parent = path.dirname(start);
    const gen2 = start.endsWith(GEN2_ASSEMBLY) ? path.resolve(start, '..', '..', '..') : undefined;
    return gen2
      ? { assemblyDir: start, rootDir: gen2, source: 'amplify-gen2' }
      : { assemblyDir: start, rootDir: parent, source: 'cdk-out' };
  }
  if (fs.existsSync(path.join(start, 'cdk.out', MANIFEST)))
    return { assemblyDir: path.join(start, 'cdk.out'), rootDir: start, source: 'cdk-out' };
  if (fs.existsSync(path.join(start, GEN2_ASSEMBLY, MANIFEST)))
    return { assemblyDir: path.join(start, GEN2_ASSEMBLY), rootDir: start, source: 'amplify-gen2' };
  if (
    fs.existsSync(path.join(start, 'amplify', 'backend.ts')) ||
    fs.existsSync(path.join(start, 'amplify', 'backend.js'))
  )
    throw noProjectError(
      `${dir} is an Amplify Gen 2 project without a synthesized backend (no ${GEN2_ASSEMBLY}/${MANIFEST}).`,
      `Synthesize it without deploying, from the project folder: \`npx cdk synth --app "npx tsx amplify/backend.ts" --context amplify-backend-namespace=<app name> --context amplify-backend-name=<branch> --context amplify-backend-type=branch --output ${GEN2_ASSEMBLY.split(path.sep).join('/')}\` (or run \`npx ampx sandbox --once\`, which deploys it), then generate again.`,
    );
  if (fs.existsSync(path.join(start, 'cdk.json')))
    throw noProjectError(
      `${dir} is a CDK app that has not been synthesized (no cdk.out/${MANIFEST}).`,
      'Run `npx cdk synth` in the app folder (no AWS credentials are needed unless the app looks up context), then generate again.',
    );
  throw noProjectError(
    `${dir} holds no cloud assembly (no ${MANIFEST}, cdk.out/${MANIFEST} or ${GEN2_ASSEMBLY}/${MANIFEST}).`,
    'Give the cdk.out folder of a synthesized CDK app (`npx cdk synth` writes it), or CloudFormation templates with --template FILE.',
  );
}

/** Reads a cloud assembly: every stack (nested assemblies of CDK Pipelines stages included). */
export function readCloudAssembly(dir: string, env: EnvironmentValues = {}): CloudAssembly {
  const { assemblyDir, rootDir, source } = findAssemblyDir(dir);
  const warnings: Warning[] = [];
  const stacks = readAssemblyStacks(assemblyDir, rootDir, env, warnings, 0);
  if (stacks.length === 0)
    throw projectError(
      `${shown(rootDir, assemblyDir)}/${MANIFEST} lists no CloudFormation stack.`,
      'Synthesize the app again (`npx cdk synth`); an app without stacks deploys nothing.',
    );
  return {
    rootDir,
    assemblyDir: shown(rootDir, assemblyDir),
    source,
    appName: appNameOf(rootDir),
    stacks,
    warnings,
  };
}

/**
 * Plain CloudFormation templates (`--template FILE`), each a stack named after its file (the
 * name CloudFormation will use is not in the file: `--stack-name`-style names are unknown).
 */
export function readPlainTemplates(
  files: readonly string[],
  cwd: string,
  env: EnvironmentValues = {},
): CloudAssembly {
  const warnings: Warning[] = [];
  const stacks = files.map((given) => {
    const file = path.resolve(cwd, given);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile())
      throw usageError(
        `--template ${given} is not a file.`,
        'Give the path of a CloudFormation template (JSON or YAML).',
      );
    const template = readTemplateAt(file, cwd, warnings);
    if (!template)
      throw projectError(
        `--template ${given} is not a CloudFormation template (it declares no Resources).`,
        'Give the path of a CloudFormation template (JSON or YAML).',
      );
    const stackName = stackNameOf(file);
    warnings.push(
      warning(
        'stack-name-assumed',
        `${template.file}: a plain template names no stack, so the policy uses ${stackName} (its file name) for the stack and the names CloudFormation derives from it.`,
      ),
    );
    return {
      id: stackName,
      stackName,
      account: env.account,
      region: env.region,
      templates: [template, ...nestedTemplates(template, cwd, path.dirname(file), new Map(), warnings, 1)],
      fileAssets: [],
      imageAssets: [],
      ssmParameters: ssmParametersOf([template]),
      stackTags: false,
    };
  });
  return {
    rootDir: cwd,
    source: 'templates',
    appName: stacks[0]?.stackName ?? 'templates',
    stacks,
    warnings,
  };
}

/** Nested assemblies (CDK Pipelines stages) deeper than this are not read. */
const MAX_ASSEMBLY_DEPTH = 5;

function readAssemblyStacks(
  assemblyDir: string,
  rootDir: string,
  env: EnvironmentValues,
  warnings: Warning[],
  depth: number,
): AssemblyStack[] {
  const manifestFile = path.join(assemblyDir, MANIFEST);
  const manifest = asRecord(readJsonIfExists(manifestFile, rootDir));
  const artifacts = asRecord(manifest.artifacts);
  const stacks: AssemblyStack[] = [];
  for (const [id, value] of Object.entries(artifacts)) {
    const artifact = asRecord(value);
    const properties = asRecord(artifact.properties);
    if (artifact.type === 'cdk:cloud-assembly') {
      const directory = asString(properties.directoryName);
      const nested = directory ? path.resolve(assemblyDir, directory) : undefined;
      if (!nested || !isInside(assemblyDir, nested) || depth >= MAX_ASSEMBLY_DEPTH) {
        warnings.push(
          warning(
            'assembly-incomplete',
            `${shown(rootDir, manifestFile)}: nested assembly ${id} skipped (${directory ?? 'no directoryName'}).`,
          ),
        );
        continue;
      }
      stacks.push(...readAssemblyStacks(nested, rootDir, env, warnings, depth + 1));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    stacks.push(readStack(id, artifact, artifacts, assemblyDir, rootDir, env, warnings));
  }
  return stacks;
}

function readStack(
  id: string,
  artifact: Record<string, unknown>,
  artifacts: Record<string, unknown>,
  assemblyDir: string,
  rootDir: string,
  env: EnvironmentValues,
  warnings: Warning[],
): AssemblyStack {
  const properties = asRecord(artifact.properties);
  const place = environmentOf(asString(artifact.environment), env);
  const templateName = asString(properties.templateFile);
  const templateFile = templateName ? path.resolve(assemblyDir, templateName) : undefined;
  if (!templateFile || !isInside(assemblyDir, templateFile) || !fs.existsSync(templateFile))
    throw projectError(
      `Stack ${id} of ${shown(rootDir, path.join(assemblyDir, MANIFEST))} names no template file in the assembly (${templateName ?? 'none'}).`,
      'Synthesize the app again (`npx cdk synth`).',
    );
  const template = readTemplateAt(templateFile, rootDir, warnings);
  if (!template)
    throw projectError(
      `${shown(rootDir, templateFile)} is not a CloudFormation template.`,
      'Synthesize the app again (`npx cdk synth`).',
    );
  const fill = (arn: string | undefined): string | undefined => arn && fillPlaceholders(arn, place);
  const assets = assetsOf(artifact, artifacts, assemblyDir, rootDir, place, warnings);
  const byObjectKey = new Map(
    assets.files.flatMap((asset) => (asset.sourcePath ? [[asset.objectKey, asset.sourcePath] as const] : [])),
  );
  const templates = [template, ...nestedTemplates(template, rootDir, assemblyDir, byObjectKey, warnings, 1)];
  const deployRoleArn = fill(asString(properties.assumeRoleArn));
  const lookupRoleArn = fill(asString(asRecord(properties.lookupRole).arn));
  return {
    id,
    stackName: asString(properties.stackName) ?? id,
    ...place,
    templates,
    deployRoleArn,
    executionRoleArn: fill(asString(properties.cloudFormationExecutionRoleArn)),
    lookupRoleArn,
    qualifier: qualifierOf(deployRoleArn, asString(properties.bootstrapStackVersionSsmParameter)),
    fileAssets: assets.files,
    imageAssets: assets.images,
    ssmParameters: ssmParametersOf(templates),
    stackTags:
      Object.keys(asRecord(properties.tags)).length > 0 ||
      (Array.isArray(properties.tags) && properties.tags.length > 0),
  };
}

/** The folder's name, in the characters IAM allows in policy names. */
function appNameOf(rootDir: string): string {
  return path.basename(rootDir).replace(/[^A-Za-z0-9+=,.@_-]/g, '') || 'app';
}

/** A stack name from a template's file name: letters, digits and hyphens, starting with a letter. */
function stackNameOf(file: string): string {
  const base = path
    .basename(file)
    .replace(/(\.template)?\.(json|ya?ml|template)$/i, '')
    .replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(base) ? base.slice(0, 128) : `stack-${base}`.slice(0, 128);
}

const shown = (rootDir: string, file: string): string =>
  path.relative(rootDir, file).split(path.sep).join('/') || '.';
