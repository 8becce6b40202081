import fs = require('node:fs');
import path = require('node:path');
import { usageError } from '../errors';

/** A line in every hook file we write; files without it are the user's and are never overwritten. */
export const HOOK_MARKER = 'amplify-least-privilege: command hook';

/**
 * Amplify command hooks (amplify/hooks/pre-push.js and pre-publish.js, committed with the
 * project, run by the CLI with node before every push and publish) that call the standalone
 * `check --json`, so teammates and CI builds without the plugin get the same guard. `amplify
 * publish` raises no PrePush event, but it runs pre-publish. The hook decides from the check's
 * JSON verdict, never from an exit code alone (npx exits 1 when it cannot fetch the package,
 * as check does for missing permissions): it exits 1, which stops the command, only in mode
 * block when the check ran and found permissions missing or a policy file unusable, or when
 * config.json is broken; when the check could not run (no npx, no network, no verdict) it
 * warns and exits 0.
 */
export function hookScript(packageVersion: string): string {
  return `// ${HOOK_MARKER} (written by \`amplify least-privilege configure --hooks\`; edit the mode in
// amplify/least-privilege/config.json). Runs the standalone check of amplify-least-privilege
// before the command: the project's own copy when it is installed, else through npx.
// Exit codes: 0, the command goes on (covered, mode warn or update, or the check could not run);
// 1, the command stops (mode block and the check found missing permissions or an unusable
// policy file, or config.json is broken).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const GO_ON = 0;
const STOP = 1;
const MODES = ['off', 'warn', 'block', 'update'];
const root = process.cwd();
const configFile = path.join(root, 'amplify', 'least-privilege', 'config.json');
let mode = 'warn';
if (fs.existsSync(configFile)) {
  let problem;
  try {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    mode = config && config.mode !== undefined ? config.mode : 'warn';
    if (!MODES.includes(mode)) problem = 'mode ' + JSON.stringify(mode) + ' is not one of ' + MODES.join(', ');
  } catch (err) {
    problem = 'it is not valid JSON (' + err.message + ')';
  }
  if (problem) {
    console.error('least-privilege: stopped: amplify/least-privilege/config.json: ' + problem + '; the guard cannot tell its mode (it may be block).');
    console.error('Fix the file, or write it again with: amplify least-privilege configure --mode MODE');
    process.exit(STOP);
  }
}
if (mode === 'off') process.exit(GO_ON);

const local = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'amplify-least-privilege.cmd' : 'amplify-least-privilege');
const [command, args] = fs.existsSync(local)
  ? [local, ['check', '--json', '--project-dir', root]]
  : ['npx', ['--yes', 'amplify-least-privilege@${packageVersion}', 'check', '--json', '--project-dir', root]];
// The CLI runs hooks with PATH only; npm needs a home for its cache.
const env = { ...process.env, HOME: process.env.HOME || os.homedir() };
const result = spawnSync(command, args, {
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  env,
  shell: process.platform === 'win32',
});
// The verdict is the JSON line check prints; npm's own failures print none.
let report;
try {
  report = JSON.parse(String(result.stdout || '').trim().split('\\n').pop());
} catch (err) {
  report = undefined;
}
if (!report || typeof report.status !== 'string') {
  const why = result.error ? result.error.message : 'exit ' + result.status + ', no verdict';
  console.warn('least-privilege: the check could not run (' + why + '); going on.');
  process.exit(GO_ON);
}
if (report.status === 'covered') process.exit(GO_ON);
if (report.status === 'no-policy') {
  console.warn('least-privilege: no policy generated for env ' + report.env + ' yet, so this command is not checked. Run: amplify least-privilege generate');
  process.exit(GO_ON);
}
const lines =
  report.status === 'missing'
    ? ['least-privilege: the policy for env ' + report.env + ' does not allow ' + report.missing.length + ' permission(s) this command needs:'].concat(
        report.missing.slice(0, 30).map((m) => '  - ' + m.action + ' on ' + m.resource + '  (needed by ' + m.neededBy[0] + (m.neededBy.length > 1 ? '; and ' + (m.neededBy.length - 1) + ' more' : '') + ')'),
        report.missing.length > 30 ? ['  ... and ' + (report.missing.length - 30) + ' more'] : [],
      )
    : ['least-privilege: ' + report.error, report.resolution || ''];
if (mode === 'block') {
  console.error(lines.join('\\n'));
  // An unusable file's lines already end with its resolution: one fix, said once.
  console.error('least-privilege: stopped (mode block).' + (report.status === 'missing' ? ' Fix: amplify least-privilege generate --attach' : ''));
  process.exit(STOP);
}
console.warn(lines.join('\\n') + '\\nleast-privilege: going on (mode ' + mode + ').');
process.exit(GO_ON);
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
