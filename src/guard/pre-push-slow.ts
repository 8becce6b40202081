import { loadAttach } from '../attach/lazy';
import { loadVerify } from '../check/lazy';
import type { CommandEnv } from '../invocation';
import { commitOutputs, planOutputs } from '../outputs/write-outputs';
import { LeastPrivilegeError } from '../errors';
import { checkProject, type CheckOutcome } from '../check/check-project';
import { formatMissing } from '../check/missing';
import type { GuardConfig } from '../discovery/guard-config';
import { rememberChecked } from '../outputs/guard-files';
import { checkKey } from '../outputs/inputs-hash';
import { unusableGuardFile, type GuardIo, type SlowCheckRequest } from './pre-push';
import { reportPushRisks } from './push-risks';

const FIX =
  'amplify least-privilege generate --attach (or generate, then update the policy in IAM), then push again.';

/**
 * The full check when the project changed since its policy was generated: run the engine for a
 * push, compare with the env's policy files and, with `verify`, with what IAM says the identity
 * may do. Then act by mode: warn, block (a LeastPrivilegeError the entry point turns into the
 * host CLI's AmplifyError), or update (generate and attach, asking unless --yes).
 */
export async function slowCheck(
  request: SlowCheckRequest,
  io: GuardIo,
  commandEnv: CommandEnv,
): Promise<void> {
  const { rootDir, env, config, yes } = request;
  let outcome: CheckOutcome;
  try {
    outcome = await checkProject({ projectDir: rootDir, envName: env, guardVerify: config.verify });
  } catch (err) {
    unusableGuardFile(err, config, io);
    return;
  }
  reportPushRisks(outcome.result, config.mode, io);
  if (outcome.status === 'covered' && config.verify)
    outcome = await loadVerify().withIamVerdict(outcome, commandEnv);
  if (outcome.status === 'no-policy') {
    io.say(`least-privilege: no policy files for env ${env}; run \`amplify least-privilege generate\`.`);
    return;
  }
  if (outcome.status === 'covered') {
    rememberChecked(rootDir, env, {
      key: checkKey(outcome.inputsHash, request.policiesHash),
      inputs: outcome.result.inputs,
    });
    io.say(
      `least-privilege: the policy for env ${env} covers this push${outcome.stale ? ' (the project changed since it was generated: regenerate to keep it tight)' : ''}.`,
    );
    return;
  }
  await act(config, outcome, io, yes, commandEnv);
}

async function act(
  config: GuardConfig,
  outcome: CheckOutcome,
  io: GuardIo,
  yes: boolean,
  commandEnv: CommandEnv,
): Promise<void> {
  if (config.mode === 'block') {
    // The fix is the error's resolution, which the host CLI prints after the message.
    throw new LeastPrivilegeError(
      'blocked',
      `Push stopped by the least-privilege guard (mode block).\n${formatMissing(outcome).trimEnd()}`,
      FIX,
    );
  }
  const report = formatMissing(outcome, FIX);
  if (config.mode === 'update') {
    io.say(report.trimEnd());
    io.say('least-privilege: mode update: generating and attaching the new policy.');
    await updatePolicy(outcome, yes, commandEnv);
    return;
  }
  io.say(`least-privilege: warning (mode warn, the push goes on):\n${report.trimEnd()}`);
}

async function updatePolicy(outcome: CheckOutcome, yes: boolean, commandEnv: CommandEnv): Promise<void> {
  const options = { projectDir: outcome.result.context.rootDir, envName: outcome.env };
  // Checked now, written once the attach plan is accepted.
  const plan = planOutputs(outcome.result, options);
  await loadAttach().attachPolicies(
    outcome.result,
    { command: 'attach', args: [], options: { yes } },
    commandEnv,
    options,
    () => commitOutputs(plan),
  );
}
