/**
 * The Amplify CLI plugin entry (amplify-plugin.json): `amplify least-privilege <command>` and
 * the PrePush event. Thin: translate the CLI's context, run the same code as the bin, turn
 * errors into the host CLI's AmplifyError. Modules load lazily: the PrePush path must stay
 * fast, so it loads only the guard's fast check unless the project changed.
 */
import { hostAwsAccess, hostConfirm, toHostError, type AmplifyContext } from './amplify-host';
import { asLeastPrivilegeError } from './errors';
import type { CommandEnv, Invocation } from './invocation';
import { fastCheck, type GuardIo } from './guard/pre-push';

export async function executeAmplifyCommand(context: AmplifyContext): Promise<void> {
  const input = context.input ?? {};
  const invocation: Invocation = {
    command: input.command === 'least-privilege' ? undefined : input.command,
    args: input.subCommands ?? [],
    options: input.options ?? {},
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: not on the PrePush path
    const { runCommand } = require('../commands/index') as typeof import('../commands/index');
    const exitCode = await runCommand(invocation, commandEnv(context), 'amplify least-privilege');
    if (exitCode !== 0) process.exitCode = exitCode;
  } catch (err) {
    throw toHostError(context, err);
  }
}

/**
 * PrePush: check that the env's policy covers this push (see src/guard). Only a confirmed
 * missing permission in mode block stops the push; any other failure of the plugin is shown as
 * a warning and the push goes on.
 */
export async function handleAmplifyEvent(
  context: AmplifyContext,
  args: { event: string; data?: unknown },
): Promise<void> {
  if (args.event !== 'PrePush') return;
  const io: GuardIo = { say: (line) => void process.stderr.write(`${line}\n`) };
  const yes = context.input?.options?.yes === true;
  try {
    const fast = fastCheck({ cwd: process.cwd(), yes }, io);
    if (fast.kind === 'done') return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only when the project changed
    const { slowCheck } = require('./guard/pre-push-slow') as typeof import('./guard/pre-push-slow');
    await slowCheck(fast, io, commandEnv(context));
  } catch (err) {
    // Only a confirmed missing permission in mode block stops the push; our own failures never do.
    const error = asLeastPrivilegeError(err);
    if (error.kind === 'blocked') throw toHostError(context, error);
    io.say(`least-privilege: the pre-push check failed and was skipped: ${error.message}`);
    io.say(`least-privilege: ${error.resolution} The push goes on.`);
  }
}

function commandEnv(context: AmplifyContext): CommandEnv {
  return {
    io: processIo,
    cwd: process.cwd(),
    awsAccess: hostAwsAccess(context),
    confirm: hostConfirm(context),
  };
}

const processIo = {
  out: (text: string): void => void process.stdout.write(text),
  err: (text: string): void => void process.stderr.write(text),
};
