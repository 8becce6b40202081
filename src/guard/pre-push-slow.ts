import { loadAttach } from '../../commands/attach';
import type { AwsAccess } from '../attach/aws-clients';
import type { CommandEnv } from '../invocation';
import { writeOutputs } from '../outputs/write-outputs';
import { LeastPrivilegeError } from '../errors';
import { checkProject, formatMissing, group, type CheckOutcome } from './check-project';
import { readGuardConfig, rememberChecked, type GuardConfig } from './guard-files';
import { checkKey, policyFilesHash } from './inputs-hash';
import type { GuardIo } from './pre-push';

const FIX =
  'amplify least-privilege generate --attach (or generate, then update the policy in IAM), then push again.';

/**
 * The full check when the project changed since its policy was generated: run the engine for a
 * push, compare with the env's policy files and, with `verify`, with what IAM says the identity
 * may do. Then act by mode: warn, block (a LeastPrivilegeError the entry point turns into the
 * host CLI's AmplifyError), or update (generate and attach, asking unless --yes).
 */
export async function slowCheck(
  rootDir: string,
  env: string,
  io: GuardIo,
  yes: boolean,
  commandEnv: CommandEnv,
): Promise<void> {
  const { config } = readGuardConfig(rootDir);
  let outcome = await checkProject({ projectDir: rootDir, envName: env });
  if (outcome.status === 'covered' && config.verify) outcome = await withIamVerdict(outcome, commandEnv);
  if (outcome.status === 'no-policy') {
    io.say(`least-privilege: no policy files for env ${env}; run \`amplify least-privilege generate\`.`);
    return;
  }
  if (outcome.status === 'covered') {
    rememberChecked(
      rootDir,
      env,
      checkKey(outcome.inputsHash, policyFilesHash(rootDir, outcome.policyFiles)),
    );
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
  const report = formatMissing(outcome, FIX);
  if (config.mode === 'block') {
    throw new LeastPrivilegeError(
      'blocked',
      `Push stopped by the least-privilege guard (mode block).\n${report}`,
      FIX,
    );
  }
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
  const files = await writeOutputs(outcome.result, options);
  await loadAttach().attachPolicies(
    outcome.result,
    { command: 'attach', args: [], options: { yes } },
    commandEnv,
    options,
    files,
  );
}

/** Adds what IAM itself denies (SimulatePrincipalPolicy on the caller) to the outcome. */
async function withIamVerdict(outcome: CheckOutcome, commandEnv: CommandEnv): Promise<CheckOutcome> {
  const { createClients, deniedByIam } = loadVerify();
  const access = (commandEnv.awsAccess ? await commandEnv.awsAccess() : {}) as AwsAccess;
  const { iam, sts } =
    commandEnv.awsClients ??
    createClients({ ...access, region: access.region ?? outcome.result.context.region });
  const denied = await deniedByIam(outcome.result.requirements, iam, sts);
  return denied.length === 0 ? outcome : { ...outcome, status: 'missing', missing: group(denied) };
}

/** The AWS SDK side of verify, required only when verify runs. */
function loadVerify(): typeof import('../attach/aws-clients') & typeof import('./verify') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load */
  return { ...require('../attach/aws-clients'), ...require('./verify') };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
