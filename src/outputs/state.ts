import path = require('node:path');
import type { GenerateOptions, GenerateResult } from '../engine';
import { packageVersion } from '../package-info';
import { readGuardState, type GuardState } from './guard-files';
import { inputsHash, policyFilesHash } from './inputs-hash';

/** The options the hash of a generated policy depends on, as recorded in its state file. */
export const hashOptions = (
  options: Pick<GenerateOptions, 'phases' | 'permissionsBoundaryArn'>,
): string[] => [
  `phases=${(options.phases ?? ['push']).join(',')}`,
  ...(options.permissionsBoundaryArn ? [`boundary=${options.permissionsBoundaryArn}`] : []),
];

/** What attach wrote to IAM: the target, and by policy name the hash of the document now in effect there. */
export interface AttachedRecord {
  readonly target: string;
  readonly documents: Readonly<Record<string, string>>;
}

/**
 * The state a generate or attach leaves: which files hold the env's policy, what the engine
 * read to make it and the hash of that. Where and what attach last wrote carries over from the
 * previous state until attach runs again.
 */
export function stateFor(
  result: GenerateResult,
  files: readonly string[],
  options: GenerateOptions,
  attached?: AttachedRecord,
): GuardState {
  const { rootDir } = result.context;
  const env = result.context.envName ?? 'default';
  const relativeFiles = files.map((file) => path.relative(rootDir, file).split(path.sep).join('/'));
  const recorded = hashOptions(options);
  const previous = attached ? undefined : previousState(rootDir, env);
  const attachedTo = attached?.target ?? previous?.attachedTo;
  const iamDocuments = attached?.documents ?? previous?.iamDocuments;
  return {
    version: 1,
    env,
    inputsHash: inputsHash(rootDir, env, recorded, packageVersion(), result.inputs),
    phases: result.phases,
    hashOptions: recorded,
    policies: result.policies.map((p, i) => ({ name: p.name, file: relativeFiles[i] })),
    policiesHash: policyFilesHash(rootDir, relativeFiles),
    inputs: result.inputs,
    ...(attachedTo ? { attachedTo } : {}),
    ...(iamDocuments ? { iamDocuments } : {}),
    ...(result.unknownTypes.length > 0 ? { unknownTypes: result.unknownTypes.map((u) => u.type) } : {}),
  };
}

/** The state being replaced; an unusable one carries nothing over. */
function previousState(rootDir: string, env: string): GuardState | undefined {
  try {
    return readGuardState(rootDir, env);
  } catch {
    return undefined;
  }
}
