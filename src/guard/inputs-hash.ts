import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Bump when what the hash covers changes: older state files then count as stale. */
const HASH_FORMAT = 'inputs-v1';

/** Folders under amplify/backend that hold no input of the policy (code, dependencies, build output). */
const SKIPPED = new Set([
  'node_modules',
  'src',
  'dist',
  'lib',
  '.temp',
  'types',
  'mock-data',
  'resolvers',
  'pipelineFunctions',
]);
const INPUT_FILE = /\.(json|ya?ml|template)$/i;
/** Rewritten on every push with timestamps; what the policy needs from it also sits in team-provider-info.json. */
const VOLATILE = new Set(['amplify-meta.json']);

/**
 * A hash of everything the policy is computed from: the backend's configuration and templates,
 * the env's deployment record, the overrides (amplify/least-privilege/overrides.json), the
 * project name, the env, the options that change the policy, and the version of this package and its data. Only node:fs and node:crypto: it runs on the
 * pre-push path.
 */
export function inputsHash(
  rootDir: string,
  env: string,
  options: readonly string[],
  packageVersion: string,
): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${HASH_FORMAT}\n${packageVersion}\n${env}\n${options.join(',')}\n`);
  for (const relative of [
    'amplify/team-provider-info.json',
    'amplify/.config/project-config.json',
    'amplify/least-privilege/overrides.json',
  ])
    addFile(hash, rootDir, relative);
  for (const relative of backendFiles(rootDir)) addFile(hash, rootDir, relative);
  return hash.digest('hex');
}

function addFile(hash: crypto.Hash, rootDir: string, relative: string): void {
  hash.update(`${relative}\n`);
  try {
    hash.update(fs.readFileSync(path.join(rootDir, relative)));
  } catch {
    hash.update('(absent)');
  }
  hash.update('\n');
}

function backendFiles(rootDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, relative: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const childRelative = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.'))
          walk(path.join(dir, entry.name), childRelative);
      } else if (entry.isFile() && INPUT_FILE.test(entry.name) && !VOLATILE.has(entry.name)) {
        files.push(childRelative);
      }
    }
  };
  walk(path.join(rootDir, 'amplify', 'backend'), 'amplify/backend');
  return files.sort();
}

/**
 * A hash of the policy files themselves (relative to the project root, in order): a policy
 * edited by hand after generate is checked again, though the project did not change.
 */
export function policyFilesHash(rootDir: string, files: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const relative of files) addFile(hash, rootDir, relative);
  return hash.digest('hex');
}

/** What the fast path compares: the project's inputs and the policy they were checked against. */
export const checkKey = (inputs: string, policies: string): string => `${inputs}+${policies}`;
