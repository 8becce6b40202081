import fs = require('node:fs');
import path = require('node:path');
import { basePolicyName, type GenerateOptions, type GenerateResult } from '../engine';
import { faultError, usageError } from '../errors';
import { isInside } from '../discovery/safe-names';
import { stateFor } from './state';
import { stateFileChange } from './guard-files';
import { checkTargets, commitFiles, type FileChange } from './file-transaction';
import { POLICY_DIR, policyFileChanges, policyFilePaths, staleFileChanges } from './policy-files';
import { reviewFilePath, reviewText } from './review';

/** What `generate` (and attach) will write, checked before anything is written or asked. */
export interface OutputPlan {
  readonly rootDir: string;
  /** Absolute paths of the policy files, in the order of the policies. */
  readonly files: readonly string[];
  /** Absolute path of the review beside them (`<policy name>.md`, src/outputs/review.ts). */
  readonly review: string;
  /** Policy files, the review, removed leftovers of an earlier run, then the env's guard state. */
  readonly changes: readonly FileChange[];
  /** What the user should know about where things go. */
  readonly notes: readonly string[];
}

/**
 * Plans the policy files (the default folder, or `out`) and the env's guard state that points
 * at them: what the pre-push guard and `check` compare the next pushes with. Writes nothing;
 * refuses, before anything is written or asked, documents that fail validation (a bug), an
 * `out` that is one of the project's inputs or a folder, and targets that are symbolic links.
 */
export function planOutputs(result: GenerateResult, options: GenerateOptions, out?: string): OutputPlan {
  if (result.findings.length > 0) {
    throw faultError(
      `the generated policy is not valid IAM: ${result.findings.map((f) => f.message).join('; ')}`,
    );
  }
  const { rootDir } = result.context;
  if (out !== undefined) checkOut(out, rootDir);
  const files = policyFilePaths(result.policies, rootDir, out);
  if (out !== undefined) files.slice(1).forEach((file) => checkOut(file, rootDir));
  const stale = out
    ? []
    : staleFileChanges(path.join(rootDir, POLICY_DIR), basePolicyName(result.context), files);
  // The state records files relative to the project: files outside it are not the project's policy.
  const recorded = files.every((file) => isInside(rootDir, file));
  const review = reviewFilePath(
    files[0] ?? path.join(rootDir, POLICY_DIR, `${basePolicyName(result.context)}.json`),
    out !== undefined,
  );
  if (out !== undefined) checkOut(review, rootDir, true);
  const changes: FileChange[] = [
    ...policyFileChanges(result.policies, files),
    { file: review, content: () => reviewText(result, files) },
    ...stale,
    ...(recorded
      ? [
          stateFileChange(rootDir, result.context.envName ?? 'default', () =>
            stateFor(result, files, options),
          ),
        ]
      : []),
  ];
  checkTargets(
    changes.map((c) => c.file),
    rootDir,
  );
  return {
    rootDir,
    files: files.map((file) => path.resolve(file)),
    review: path.resolve(review),
    changes,
    notes: recorded
      ? []
      : [
          `${out} is outside the project, so the pre-push guard and \`check\` do not use it (they read the files recorded in amplify/least-privilege/state-<env>.json).`,
        ],
  };
}

/** Writes the planned files all or none; returns the policy files' absolute paths. */
export function commitOutputs(plan: OutputPlan): string[] {
  commitFiles(plan.changes, { root: plan.rootDir });
  return [...plan.files];
}

/** Plans and writes at once (see planOutputs). */
export async function writeOutputs(
  result: GenerateResult,
  options: GenerateOptions,
  out?: string,
): Promise<string[]> {
  return commitOutputs(planOutputs(result, options, out));
}

/**
 * Folders and files of the project's `amplify/` folder that `--out` may never overwrite: the
 * inputs of the policy and of the Amplify CLI. Inside amplify/, only amplify/least-privilege/
 * takes policy files (not the guard's own config.json and state-<env>.json).
 */
function checkOut(out: string, rootDir: string, review = false): void {
  const resolved = path.resolve(out);
  const shown = isInside(rootDir, resolved) ? path.relative(rootDir, resolved) || '.' : out;
  const refuse = (why: string): never => {
    throw usageError(
      `--out ${shown} ${why}.`,
      `Choose a file outside the project's amplify/ folder, or in ${POLICY_DIR} (the default), e.g. --out policies/least-privilege.json.`,
    );
  };
  if (/[\\/]$/.test(out) || isFolder(resolved)) refuse('is a folder, not a file');
  // Compared case-insensitively: on macOS and Windows Amplify/ is amplify/.
  const lower = (file: string): string => path.resolve(file).toLowerCase();
  if (!isInside(lower(path.join(rootDir, 'amplify')), lower(resolved))) return;
  if (path.dirname(lower(resolved)) !== lower(path.join(rootDir, POLICY_DIR)))
    refuse("is inside the project's amplify/ folder, which holds the project's inputs");
  if (!review && !/\.json$/i.test(resolved))
    refuse(`would put a file other than a .json policy into ${POLICY_DIR}`);
  if (/^(config|state-.*|local-.*)\.json$/i.test(path.basename(resolved)))
    refuse("would overwrite one of the pre-push guard's own files");
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
