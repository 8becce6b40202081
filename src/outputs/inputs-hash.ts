import crypto = require('node:crypto');
import fs = require('node:fs');
import path = require('node:path');
import type { InputRead } from '../discovery/read-log';

/** Bump when what the hash covers changes: older state files then count as stale. */
const HASH_FORMAT = 'inputs-v2';

/**
 * A hash of exactly what the engine read to compute the policy (`GenerateResult.inputs`, kept
 * in the env's state file): each file's content or absence, each folder listing, each path's
 * existence, each JSON part; plus the env, the options that change the policy, and the
 * version of this package and its data. Only node:fs and node:crypto: it runs on the
 * pre-push path, over the list recorded in the state, without the engine.
 */
export function inputsHash(
  rootDir: string,
  env: string,
  options: readonly string[],
  packageVersion: string,
  inputs: readonly InputRead[],
): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${HASH_FORMAT}\n${packageVersion}\n${env}\n${options.join(',')}\n`);
  for (const input of inputs) {
    const file = path.join(rootDir, input.path);
    hash.update(`${input.kind} ${input.path}${input.kind === 'json' ? ` ${input.key}` : ''}\n`);
    if (input.kind === 'json') hash.update(jsonPart(file, input.key));
    else if (input.kind === 'file') hash.update(fileContent(file));
    else if (input.kind === 'exists') hash.update(pathKind(file));
    else hash.update(listing(file));
    hash.update('\n');
  }
  return hash.digest('hex');
}

const failure = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? '(absent)' : `(unreadable: ${code ?? 'error'})`;
};

function fileContent(file: string): Buffer | string {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    return failure(err);
  }
}

function pathKind(file: string): string {
  try {
    const stat = fs.statSync(file);
    return stat.isDirectory() ? '(folder)' : stat.isFile() ? '(file)' : '(other)';
  } catch (err) {
    return failure(err);
  }
}

const ENTRY_TYPES: ReadonlyArray<[keyof fs.Dirent, string]> = [
  ['isFile', 'f'],
  ['isDirectory', 'd'],
  ['isSymbolicLink', 'l'],
];

function listing(dir: string): string {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .map((entry) => {
        const type = ENTRY_TYPES.find(([test]) => (entry[test] as () => boolean).call(entry))?.[1] ?? 'o';
        return `${entry.name}\t${type}`;
      })
      .sort()
      .join('\n');
  } catch (err) {
    return failure(err);
  }
}

function jsonPart(file: string, key: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return failure(err);
  }
  try {
    const value = (
      JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>
    )?.[key];
    return value === undefined ? '(no key)' : JSON.stringify(value);
  } catch {
    return `(not JSON) ${text}`;
  }
}

/**
 * A hash of the policy files themselves (relative to the project root, in order): a policy
 * edited by hand after generate is checked again, though the project did not change.
 */
export function policyFilesHash(rootDir: string, files: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const relative of files) {
    hash.update(`${relative}\n`);
    hash.update(fileContent(path.join(rootDir, relative)));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** What the fast path compares: the project's inputs and the policy they were checked against. */
export const checkKey = (inputs: string, policies: string): string => `${inputs}+${policies}`;
