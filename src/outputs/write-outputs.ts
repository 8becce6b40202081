import * as path from 'node:path';
import type { GenerateOptions, GenerateResult } from '../engine';
import { projectError } from '../errors';
import { stateFor } from '../guard/check-project';
import { writeGuardState } from '../guard/guard-files';
import { policyFilePaths, writePolicyFiles } from './policy-files';

/**
 * Writes the policy files (the default folder, or `out`) and the env's guard state that points
 * at them: what the pre-push guard and `check` compare the next pushes with. Refuses documents
 * that fail validation (a bug, never written).
 */
export async function writeOutputs(
  result: GenerateResult,
  options: GenerateOptions,
  out?: string,
): Promise<string[]> {
  if (result.findings.length > 0) {
    throw projectError(
      `The generated policy is not valid IAM: ${result.findings.map((f) => f.message).join('; ')}`,
      'This is a bug in amplify-least-privilege; please report it with the project layout.',
    );
  }
  const files = policyFilePaths(result.policies, result.context.rootDir, out);
  await writePolicyFiles(result.policies, files, out ? undefined : result.policies[0]?.name);
  writeGuardState(result.context.rootDir, stateFor(result, files, options));
  return files.map((file) => path.resolve(file));
}
