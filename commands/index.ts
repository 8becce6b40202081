/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loads, see LOADERS */
import type { Command, CommandEnv, Invocation } from '../src/invocation';
import { packageVersion } from '../src/package-info';
import { helpCommand, helpFor, helpText, helpTopic } from './help';

/** How the user calls us: `amplify least-privilege` in the CLI, `amplify-least-privilege` standalone. */
let prefix = 'amplify least-privilege';

/**
 * The commands in help's order, each loaded only when it runs (or for help): a run of
 * generate never loads learn's parser, check's coverage test or configure's hooks.
 */
const LOADERS: ReadonlyArray<readonly [string, () => Command]> = [
  ['generate', () => (require('./generate') as typeof import('./generate')).generate],
  ['explain', () => (require('./explain') as typeof import('./explain')).explain],
  ['attach', () => (require('./attach') as typeof import('./attach')).attach],
  ['check', () => (require('./check') as typeof import('./check')).check],
  ['configure', () => (require('./configure') as typeof import('./configure')).configure],
  ['learn', () => (require('./learn') as typeof import('./learn')).learn],
  ['help', () => HELP],
];

const HELP = helpCommand(allCommands, () => prefix);

/** Every command, loaded (help lists them all). */
export function allCommands(): readonly Command[] {
  return LOADERS.map(([, load]) => load());
}

/**
 * Runs one command. `--version` (`-v`) prints the version whatever the command; `--help` and
 * `help COMMAND` print that command's help; no command prints the short help; an unknown
 * command says so, prints the short help and exits 2. Errors propagate to the entry point,
 * which knows how to show them.
 */
export async function runCommand(
  invocation: Invocation,
  env: CommandEnv,
  callPrefix: string,
): Promise<number> {
  prefix = callPrefix;
  if (invocation.options.version === true) {
    env.io.out(`${packageVersion()}\n`);
    return 0;
  }
  if (invocation.options.help === true || invocation.command === '--help') {
    env.io.out(helpFor(helpTopic(invocation), allCommands(), prefix));
    return 0;
  }
  const command = LOADERS.find(([name]) => name === invocation.command)?.[1]();
  if (!command) {
    if (invocation.command !== undefined) env.io.err(`Unknown command "${invocation.command}".\n\n`);
    env.io.out(helpText(allCommands(), prefix));
    return invocation.command === undefined ? 0 : 2;
  }
  return command.run(invocation, env);
}
