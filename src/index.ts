/**
 * The Amplify CLI plugin entry (amplify-plugin.json): `amplify least-privilege <command>`.
 * Thin: translate the CLI's context into an Invocation, run the same command as the bin,
 * turn errors into the host CLI's AmplifyError.
 */
import { runCommand } from '../commands/index';
import { hostAwsAccess, hostConfirm, toHostError, type AmplifyContext } from './amplify-host';
import type { Invocation } from './invocation';

export async function executeAmplifyCommand(context: AmplifyContext): Promise<void> {
  const input = context.input ?? {};
  const invocation: Invocation = {
    command: input.command === 'least-privilege' ? undefined : input.command,
    args: input.subCommands ?? [],
    options: input.options ?? {},
  };
  try {
    const exitCode = await runCommand(
      invocation,
      { io: processIo, cwd: process.cwd(), awsAccess: hostAwsAccess(context), confirm: hostConfirm(context) },
      'amplify least-privilege',
    );
    if (exitCode !== 0) process.exitCode = exitCode;
  } catch (err) {
    throw toHostError(context, err);
  }
}

/** Events the plugin registers for in amplify-plugin.json (none yet: the pre-push guard comes later). */
export async function handleAmplifyEvent(
  _context: AmplifyContext,
  _args: { event: string; data?: unknown },
): Promise<void> {
  // Nothing to do until the PrePush guard exists.
}

const processIo = {
  out: (text: string): void => void process.stdout.write(text),
  err: (text: string): void => void process.stderr.write(text),
};
