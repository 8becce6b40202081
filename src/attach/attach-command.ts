import inquirer from 'inquirer';
import type { GenerateOptions, GenerateResult } from '../engine';
import { stateFor } from '../outputs/state';
import { readGuardState, writeGuardState } from '../outputs/guard-files';
import { usageError } from '../errors';
import { isInside } from '../discovery/safe-names';
import { booleanOption, stringOption, type CommandEnv, type Invocation } from '../invocation';
import { clientsFor } from '../aws/clients';
import type { CdkGenerateOptions, CdkGenerateResult } from '../cdk-engine';
import { accountForAttach, cdkPolicySets, checkTargetAccounts } from './cdk-attach';
import { explicitTarget, type AttachTarget } from './identity';
import { attachPolicySets, readCaller, runAttach, type AttachOutcome } from './run-attach';

/** What attach was asked to do: checked before the engine runs, so a usage error comes first. */
export interface AttachRequest {
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly target?: AttachTarget;
  readonly profile?: string;
}

export function attachRequest(invocation: Invocation): AttachRequest {
  return {
    yes: booleanOption(invocation, 'yes') || booleanOption(invocation, 'y'),
    dryRun: booleanOption(invocation, 'dry-run'),
    target: explicitTarget({
      user: stringOption(invocation, 'user'),
      role: stringOption(invocation, 'role'),
      group: stringOption(invocation, 'group'),
    }),
    profile: stringOption(invocation, 'profile'),
  };
}

/**
 * The attach step shared by `attach` and `generate --attach`: credentials from the host CLI
 * (inside Amplify) or from --profile / the default chain (standalone), a confirmation prompt
 * unless --yes, and nothing changed with --dry-run. `writeFiles` writes the policy files and
 * the guard state; it runs only once the plan is accepted, before IAM is changed, so a refused
 * question or a dry run leaves every file as it was. Loaded only when attach runs.
 */
export async function attachPolicies(
  result: GenerateResult,
  invocation: Invocation,
  env: CommandEnv,
  options: GenerateOptions,
  writeFiles: () => readonly string[],
): Promise<number> {
  const request = attachRequest(invocation);
  const { iam, sts } = await clientsFor(env, request.profile, result.context.region);
  const { rootDir } = result.context;
  let files: readonly string[] = [];
  return runAttach(
    result,
    {
      yes: request.yes,
      dryRun: request.dryRun,
      force: booleanOption(invocation, 'force'),
      written: lastWritten(result),
      target: request.target,
    },
    {
      iam,
      sts,
      io: env.io,
      confirm: (question) => confirmInTerminal(question, env.confirm),
      beforeApply: () => {
        files = writeFiles();
      },
      // The guard state records where the env's policy is attached (files inside the project
      // only), and what IAM now holds.
      onApplied: (target, documents) => {
        if (target && files.length > 0 && files.every((file) => isInside(rootDir, file)))
          writeGuardState(
            rootDir,
            stateFor(result, files, options, { target: `${target.kind}:${target.name}`, documents }),
          );
      },
    },
  );
}

/** attach for a CDK app, once the caller is known: the options to generate with, and the attach step. */
export interface CdkAttachSession {
  /** The generate options, with the caller's account for environment-agnostic stacks. */
  readonly options: CdkGenerateOptions;
  /**
   * Plans every target's policies, asks (unless --yes; nothing with --dry-run), then calls
   * `writeFiles` and changes IAM: the execution role's policies created or updated, the
   * deployer's attached. The outcome holds each target's policy ARNs.
   */
  attach(result: CdkGenerateResult, writeFiles: () => void): Promise<AttachOutcome>;
}

/**
 * The attach step of `generate --cdk-out DIR --attach` and `attach --cdk-out DIR`. The caller
 * identity is read first: environment-agnostic stacks deploy to its account (`--account` naming
 * another is refused), and stacks pinned to another account are refused before IAM is read.
 */
export async function cdkAttachSession(
  options: CdkGenerateOptions,
  invocation: Invocation,
  env: CommandEnv,
): Promise<CdkAttachSession> {
  const request = attachRequest(invocation);
  const given = options.environment?.account;
  const { iam, sts } = await clientsFor(env, request.profile, options.environment?.region);
  const caller = await readCaller(sts, { account: given });
  const account = accountForAttach(given, caller);
  return {
    options: { ...options, environment: { ...options.environment, account } },
    attach(result, writeFiles) {
      checkTargetAccounts(result, account);
      return attachPolicySets(
        cdkPolicySets(result),
        {
          yes: request.yes,
          dryRun: request.dryRun,
          force: booleanOption(invocation, 'force'),
          target: request.target,
        },
        {
          iam,
          sts,
          io: env.io,
          confirm: (question) => confirmInTerminal(question, env.confirm),
          beforeApply: writeFiles,
        },
        { account, partition: caller.partition },
        caller,
      );
    },
  };
}

/** What attach last wrote to IAM for the env (the guard's state); nothing when the state is unusable. */
function lastWritten(result: GenerateResult): Readonly<Record<string, string>> | undefined {
  try {
    return readGuardState(result.context.rootDir, result.context.envName ?? 'default')?.iamDocuments;
  } catch {
    return undefined;
  }
}

/**
 * A yes/no question on the terminal: the host CLI's own prompt inside Amplify, else inquirer
 * on stderr (stdout stays clean). Refused without a terminal, where it could only hang.
 */
async function confirmInTerminal(
  question: string,
  hostPrompt?: (question: string) => Promise<boolean>,
): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw usageError(
      'attach needs a confirmation, and there is no terminal to ask.',
      'Pass --yes to apply the plan, or --dry-run to only see it.',
    );
  }
  if (hostPrompt) return hostPrompt(question);
  const prompt = inquirer.createPromptModule({ output: process.stderr });
  const { ok } = await prompt<{ ok: boolean }>([
    { type: 'confirm', name: 'ok', message: question, default: false },
  ]);
  return ok;
}
