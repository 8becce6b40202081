import { COMMON_OPTIONS, type Command } from '../src/invocation';
import { ALL_PHASES, DEFAULT_PHASES } from '../src/model';
import { PHASE_COMMANDS } from '../src/requirements/phases';

/** The text of `help`, built from the commands' own descriptions so it cannot drift from them. */
export function helpText(commands: readonly Command[], prefix: string): string {
  const lines = [
    'amplify-least-privilege: the smallest IAM policy that can deploy this Amplify (Gen 1) project.',
    '',
    'Usage:',
    ...commands.map((command) => `  ${prefix} ${command.usage}`.trimEnd()),
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
  ];
  for (const command of commands) {
    const options = Object.entries(command.options);
    if (options.length === 0) continue;
    lines.push(
      '',
      `Options of ${command.name}:`,
      ...options.map(([name, text]) => `  --${name.padEnd(12)} ${text}`),
    );
  }
  lines.push(
    '',
    'Options of every command:',
    ...Object.entries(COMMON_OPTIONS).map(([name, text]) => `  --${name.padEnd(12)} ${text}`),
  );
  lines.push(
    '',
    `Phases (--phases; default ${DEFAULT_PHASES.join(',')}):`,
    ...ALL_PHASES.map((phase) => `  ${phase.padEnd(10)} ${PHASE_COMMANDS[phase].join(', ')}`),
  );
  lines.push(
    '',
    'Exit codes: 0 success, 1 failure (not an Amplify project, unreadable input; check: not covered), 2 usage error.',
    '',
  );
  return lines.join('\n');
}

/** `help`: prints the text for the commands it is given. */
export function helpCommand(commands: () => readonly Command[], prefix: () => string): Command {
  return {
    name: 'help',
    summary: 'show this help',
    usage: 'help',
    options: {},
    async run(_invocation, { io }) {
      io.out(helpText(commands(), prefix()));
      return 0;
    },
  };
}
