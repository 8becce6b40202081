import { COMMON_OPTIONS, type Command, type Invocation } from '../src/invocation';
import { ALL_PHASES, DEFAULT_PHASES } from '../src/model';
import { PHASE_COMMANDS } from '../src/requirements/phases';
import { usageError } from '../src/errors';

/**
 * The short top-level help: how to call us, the commands, the phases, the exit codes. Each
 * command's options are in its own help (`help COMMAND`), built from the command's own
 * description so that neither can drift from the code.
 */
export function helpText(commands: readonly Command[], prefix: string): string {
  return [
    'amplify-least-privilege: the smallest IAM policy that can deploy this Amplify (Gen 1) project.',
    '',
    'Usage:',
    `  ${prefix} COMMAND [options]`,
    `  ${prefix} help COMMAND      the options of COMMAND (also: COMMAND --help)`,
    `  ${prefix} --version`,
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
    '',
    ...phaseLines(),
    '',
    EXIT_CODES,
    `Run \`${prefix} help COMMAND\` for the options of a command.`,
    '',
  ].join('\n');
}

/** The help of one command: its usage, what it does, its options (with the common ones), its phases. */
export function commandHelpText(command: Command, prefix: string): string {
  const lines = [`Usage: ${prefix} ${command.usage}`, '', `${capitalize(command.summary)}.`];
  // help itself takes no options; every other command also takes the common ones.
  if (Object.keys(command.options).length > 0)
    lines.push('', 'Options:', ...optionLines({ ...command.options, ...COMMON_OPTIONS }));
  if ('phases' in command.options) lines.push('', ...phaseLines());
  lines.push('');
  return lines.join('\n');
}

/** `help [COMMAND]`: the short help, or one command's. */
export function helpCommand(commands: () => readonly Command[], prefix: () => string): Command {
  return {
    name: 'help',
    summary: "show the commands, or one command's usage and options",
    usage: 'help [COMMAND]',
    options: {},
    async run(invocation, { io }) {
      io.out(helpFor(helpTopic(invocation), commands(), prefix()));
      return 0;
    },
  };
}

/**
 * The command whose help is asked for, or undefined for the top-level help. `help generate`
 * and the bin's `generate --help` name it directly; inside the Amplify CLI, `generate --help`
 * arrives as command `help` with sub-commands `['least-privilege', 'generate']` (the CLI
 * prepends the plugin's name; verified with the real CLI 14.2.2).
 */
export function helpTopic(invocation: Invocation): string | undefined {
  if (invocation.command !== 'help') return invocation.command === '--help' ? undefined : invocation.command;
  return invocation.args.filter((arg) => arg !== 'least-privilege')[0];
}

/** The text for `topic` (a command name, or undefined for the top-level help). */
export function helpFor(topic: string | undefined, commands: readonly Command[], prefix: string): string {
  if (topic === undefined) return helpText(commands, prefix);
  const command = commands.find((c) => c.name === topic);
  if (!command) {
    throw usageError(
      `Unknown command "${topic}".`,
      `The commands are ${commands.map((c) => c.name).join(', ')}; run \`${prefix} help\` for the list.`,
    );
  }
  return commandHelpText(command, prefix);
}

const EXIT_CODES =
  'Exit codes: 0 success, 1 failure (not an Amplify project, unreadable input; check: not covered), 2 usage error.';

function phaseLines(): string[] {
  return [
    `Phases (--phases; default ${DEFAULT_PHASES.join(',')}):`,
    ...ALL_PHASES.map((phase) => `  ${phase.padEnd(10)} ${PHASE_COMMANDS[phase].join(', ')}`),
  ];
}

/**
 * `--name VALUE   text`: an option's text starts with the value it takes (`DIR  the project`,
 * `ARN  ...`) when it takes one.
 */
function optionLines(options: Readonly<Record<string, string>>): string[] {
  const rows = Object.entries(options).map(([name, text]) => {
    const value = /^([A-Z][A-Z|]*) {2}(.*)$/s.exec(text);
    return value ? [`--${name} ${value[1]}`, value[2]] : [`--${name}`, text];
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
