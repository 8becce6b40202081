import * as fs from 'node:fs';
import * as path from 'node:path';
import { usageError } from '../errors';

/** A line in every hook file we write; files without it are the user's and are never overwritten. */
export const HOOK_MARKER = 'amplify-least-privilege: command hook';

/**
 * Amplify command hooks (amplify/hooks/pre-push.js and pre-publish.js, committed with the
 * project, run by the CLI with node before every push and publish) that call the standalone
 * `check`, so teammates and CI builds without the plugin get the same guard. `amplify publish`
 * raises no PrePush event, but it runs pre-publish. The hook exits 1 (the CLI then stops) only
 * when the check confirms missing permissions in mode block; when the check cannot run at all
 * (no npx, no network) it warns and lets the command go on.
 */
export function hookScript(packageVersion: string): string {
  return `// ${HOOK_MARKER} (written by \`amplify least-privilege configure --hooks\`; edit the mode in
// amplify/least-privilege/config.json). Runs the standalone check of amplify-least-privilege
// before the command: the project's own copy when it is installed, else through npx.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = process.cwd();
let mode = 'warn';
try {
  mode = JSON.parse(fs.readFileSync(path.join(root, 'amplify', 'least-privilege', 'config.json'), 'utf8')).mode || 'warn';
} catch (err) {
  // No configuration: the default mode.
}
if (mode === 'off') process.exit(0);

const local = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'amplify-least-privilege.cmd' : 'amplify-least-privilege');
const [command, args] = fs.existsSync(local)
  ? [local, ['check', '--project-dir', root]]
  : ['npx', ['--yes', 'amplify-least-privilege@${packageVersion}', 'check', '--project-dir', root]];
// The CLI runs hooks with PATH only; npm needs a home for its cache.
const env = { ...process.env, HOME: process.env.HOME || os.homedir() };
const result = spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
if (result.error || result.status === null || result.status > 1) {
  console.warn('least-privilege: the check could not run (' + (result.error ? result.error.message : 'exit ' + result.status) + '); going on.');
  process.exit(0);
}
if (result.status === 1 && mode === 'block') {
  console.error('least-privilege: stopped (mode block). Fix: amplify least-privilege generate --attach');
  process.exit(1);
}
process.exit(0);
`;
}

/** Writes pre-push.js and pre-publish.js; refuses to replace a hook that is not ours. Returns the files written. */
export function writeCommandHooks(rootDir: string, packageVersion: string): string[] {
  const dir = path.join(rootDir, 'amplify', 'hooks');
  const files = ['pre-push.js', 'pre-publish.js'].map((name) => path.join(dir, name));
  for (const file of files) {
    if (fs.existsSync(file) && !fs.readFileSync(file, 'utf8').includes(HOOK_MARKER)) {
      throw usageError(
        `${path.relative(rootDir, file)} exists and was not written by amplify-least-privilege.`,
        `Call \`npx amplify-least-privilege check --project-dir .\` from your hook yourself (exit 1 means missing permissions), or move it away and run configure --hooks again.`,
      );
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const file of files) fs.writeFileSync(file, hookScript(packageVersion));
  return files;
}
