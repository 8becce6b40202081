import fs = require('node:fs');
import path = require('node:path');
import { LeastPrivilegeError, projectError } from '../errors';
import type { NamedPolicy } from '../model';
import { renderDocument } from '../policy/render';
import { commitFiles, type FileChange } from './file-transaction';

/** Where `generate` writes policies by default, relative to the project root. */
export const POLICY_DIR = path.join('amplify', 'least-privilege');

/** A policy document as written to disk: two-space JSON, trailing newline; ready for `aws iam create-policy`. */
export const policyFileText = (policy: NamedPolicy): string =>
  `${JSON.stringify(renderDocument(policy.document), null, 2)}\n`;

/**
 * Target files: `<dir>/<policy name>.json` by default (dir: POLICY_DIR, or the CDK outputs'
 * folder); with `out`, `out` for the first document and `<out stem>-2<ext>`, `-3`... for the
 * others.
 */
export function policyFilePaths(
  policies: readonly NamedPolicy[],
  rootDir: string,
  out?: string,
  dir: string = POLICY_DIR,
): string[] {
  if (!out) return policies.map((policy) => path.join(rootDir, dir, `${policy.name}.json`));
  const ext = path.extname(out);
  const stem = out.slice(0, out.length - ext.length);
  return policies.map((_, index) => (index === 0 ? out : `${stem}-${index + 1}${ext}`));
}

/** The changes that write the policies to `files` (same order). */
export const policyFileChanges = (policies: readonly NamedPolicy[], files: readonly string[]): FileChange[] =>
  policies.map((policy, index) => ({ file: files[index], content: policyFileText(policy) }));

/**
 * Files of this project and env in `dir` left by an earlier run with more documents
 * (`<baseName>-3.json` when the policy now needs two): removed with the new files.
 */
export function staleFileChanges(dir: string, baseName: string, keep: readonly string[]): FileChange[] {
  const ours = new RegExp(`^${baseName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-\\d+)?\\.json$`);
  const kept = new Set(keep.map((file) => path.basename(file)));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => ours.test(name) && !kept.has(name))
    .sort()
    .map((name) => ({ file: path.join(dir, name) }));
}

/**
 * Writes all files or none (src/outputs/file-transaction.ts). In the default folder (a
 * `baseName` is given), files of this project and env left by an earlier run with more
 * documents are removed in the same step.
 */
export async function writePolicyFiles(
  policies: readonly NamedPolicy[],
  files: readonly string[],
  baseName?: string,
  root?: string,
): Promise<void> {
  const stale = baseName && files.length > 0 ? staleFileChanges(path.dirname(files[0]), baseName, files) : [];
  commitFiles([...policyFileChanges(policies, files), ...stale], { root });
}

/**
 * A policy file as the guard and `check` read it (possibly edited by hand): undefined when it
 * does not exist, the document when it is a JSON object whose Statement holds objects with
 * string (or string list) Effect, Action, Resource and a Condition of plain values. Anything
 * else is a project error naming the file and the field.
 */
export function readPolicyDocument(rootDir: string, relative: string): unknown {
  const file = path.join(rootDir, relative);
  let text: string;
  try {
    if (fs.lstatSync(file).isSymbolicLink()) {
      throw projectError(
        `The policy file ${relative} is a symbolic link; policy files are read only from the project itself.`,
        'Replace the link with the file, or run `generate` again to rewrite it.',
      );
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof LeastPrivilegeError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw projectError(
      `Cannot read the policy file ${relative}: ${(err as Error).message}`,
      'Check the file, or run `generate` again to rewrite it.',
      err,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw projectError(
      `The policy file ${relative} is not valid JSON: ${(err as Error).message}`,
      'Fix the file (`git diff` shows recent edits), or run `generate` again to rewrite it.',
      err,
    );
  }
  const problem = documentProblem(document);
  if (problem) {
    throw projectError(
      `The policy file ${relative} is not an IAM policy document: ${problem}.`,
      'Fix the file (`git diff` shows recent edits), or run `generate` again to rewrite it.',
    );
  }
  return document;
}

const isStringOrList = (value: unknown): boolean =>
  typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));

const isScalar = (value: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof value);
const isScalarOrList = (value: unknown): boolean =>
  isScalar(value) || (Array.isArray(value) && value.every(isScalar));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What makes `document` unusable as a policy, or undefined when it is one. */
function documentProblem(document: unknown): string | undefined {
  if (!isObject(document)) return 'the file does not hold a JSON object';
  const statements = [document.Statement ?? []].flat();
  for (const [index, statement] of statements.entries()) {
    const where = `Statement[${index}]`;
    if (!isObject(statement)) return `${where} is not an object`;
    if (typeof statement.Effect !== 'string') return `${where}.Effect is not a string`;
    for (const field of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      if (statement[field] !== undefined && !isStringOrList(statement[field]))
        return `${where}.${field} is not a string or a list of strings`;
    }
    if (statement.Condition !== undefined) {
      if (!isObject(statement.Condition)) return `${where}.Condition is not an object`;
      for (const [operator, keys] of Object.entries(statement.Condition)) {
        if (!isObject(keys)) return `${where}.Condition.${operator} is not an object`;
        for (const [key, values] of Object.entries(keys)) {
          if (!isScalarOrList(values))
            return `${where}.Condition.${operator}.${key} is not a value or a list of values`;
        }
      }
    }
  }
  return undefined;
}
