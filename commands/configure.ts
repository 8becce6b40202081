import path = require('node:path');
import { findProjectRoot } from '../src/discovery/find-project-root';
import { noProjectError, usageError } from '../src/errors';
import { writeCommandHooks } from '../src/guard/command-hooks';
import { GUARD_MODES, readGuardConfig, type GuardMode } from '../src/discovery/guard-config';
import { writeGuardConfig } from '../src/outputs/guard-files';
import { booleanOption, checkOptions, stringOption, type Command } from '../src/invocation';
import { packageVersion } from '../src/package-info';

export const configure: Command = {
  name: 'configure',
  summary:
    'set the pre-push guard: its mode, IAM verification, command hooks for teammates without the plugin',
  usage: 'configure [--mode off|warn|block|update] [--verify|--no-verify] [--hooks]',
  options: {
    mode: 'MODE  off, warn (default: report and push), block (stop the push), update (generate and attach, then push)',
    verify:
      'on every push, also ask IAM what the identity may do (generate then adds iam:SimulatePrincipalPolicy on the user itself)',
    'no-verify': 'do not ask IAM',
    hooks:
      'write amplify/hooks/pre-push.js and pre-publish.js, which run the standalone check (npx) for the whole team',
  },
  async run(invocation, env) {
    checkOptions(invocation, configure);
    const rootDir = findProjectRoot(path.resolve(env.cwd, stringOption(invocation, 'project-dir') ?? '.'));
    if (!rootDir)
      throw noProjectError(`${env.cwd} is not inside an Amplify project.`, 'Run configure in the project.');
    const { config: current, problem } = readGuardConfig(rootDir);
    const mode = stringOption(invocation, 'mode');
    if (mode !== undefined && !GUARD_MODES.includes(mode as GuardMode)) {
      throw usageError(`Unknown mode ${mode}.`, `Use one of ${GUARD_MODES.join(', ')}.`);
    }
    // A broken file is replaced only by a command that says the mode: it may have said block.
    if (problem && mode === undefined) {
      throw usageError(
        `${problem}; the guard stops every push until it is fixed.`,
        `Pass --mode (${GUARD_MODES.join(', ')}) to write it again, or fix it by hand.`,
      );
    }
    const verify = booleanOption(invocation, 'verify')
      ? true
      : booleanOption(invocation, 'no-verify')
        ? false
        : current.verify;
    const config = { mode: (mode as GuardMode | undefined) ?? current.mode, verify };
    writeGuardConfig(rootDir, config);
    env.io.out(
      `Pre-push guard: mode ${config.mode}, verify ${config.verify} (amplify/least-privilege/config.json; commit it).\n`,
    );
    if (booleanOption(invocation, 'hooks')) {
      const files = writeCommandHooks(rootDir, packageVersion());
      env.io.out(`Command hooks: ${files.map((f) => path.relative(rootDir, f)).join(', ')} (commit them).\n`);
    }
    if (config.verify)
      env.io.err(
        'Generate again so the policy allows iam:SimulatePrincipalPolicy on the user itself. ' +
          'A role (or an IAM Identity Center permission set) that pushes needs iam:SimulatePrincipalPolicy and iam:GetRole on its own role ARN: ' +
          '`check --verify` prints the exact statement when IAM refuses it.\n',
      );
    return 0;
  },
};
