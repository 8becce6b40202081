import type { Command, CommandEnv, Invocation } from '../src/invocation';
import { packageVersion } from '../src/package-info';
import { attach } from './attach';
import { check } from './check';
import { configure } from './configure';
import { explain } from './explain';
import { generate } from './generate';
import { helpCommand, helpFor, helpText, helpTopic } from './help';
import { learn } from './learn';

/** How the user calls us: `amplify least-privilege` in the CLI, `amplify-least-privilege` standalone. */
let prefix = 'amplify least-privilege';

export const COMMANDS: readonly Command[] = [
  generate,
  explain,
  attach,
  check,
  configure,
  learn,
  helpCommand(
    () => COMMANDS,
    () => prefix,
  ),
];

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
    env.io.out(helpFor(helpTopic(invocation), COMMANDS, prefix));
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === invocation.command);
  if (!command) {
    if (invocation.command !== undefined) env.io.err(`Unknown command "${invocation.command}".\n\n`);
    env.io.out(helpText(COMMANDS, prefix));
    return invocation.command === undefined ? 0 : 2;
  }
  return command.run(invocation, env);
}
