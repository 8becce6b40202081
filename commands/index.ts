import type { Command, CommandEnv, Invocation } from '../src/invocation';
import { attach } from './attach';
import { check } from './check';
import { configure } from './configure';
import { explain } from './explain';
import { generate } from './generate';
import { helpCommand, helpText } from './help';
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
 * Runs one command; unknown or missing commands and `--help` print help (an unknown command
 * also says so and exits 2). Errors propagate to the entry point, which knows how to show them.
 */
export async function runCommand(
  invocation: Invocation,
  env: CommandEnv,
  callPrefix: string,
): Promise<number> {
  prefix = callPrefix;
  const command = COMMANDS.find((c) => c.name === invocation.command);
  if (invocation.options.help === true || invocation.command === '--help') {
    env.io.out(helpText(COMMANDS, prefix));
    return 0;
  }
  if (!command) {
    if (invocation.command !== undefined) env.io.err(`Unknown command "${invocation.command}".\n\n`);
    env.io.out(helpText(COMMANDS, prefix));
    return invocation.command === undefined ? 0 : 2;
  }
  return command.run(invocation, env);
}
