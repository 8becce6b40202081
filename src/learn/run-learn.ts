/**
 * The learn flow: read the denials (a message, or the last failed push's stack events), map
 * each to the grant that fixes it, refuse what is outside the project unless allowed, show the
 * change, ask (unless --yes), and record it in overrides.json. generate applies it.
 */
import fs = require('node:fs');
import type { CommandEnv } from '../invocation';
import { LeastPrivilegeError, noProjectError, projectError, usageError } from '../errors';
import { findProjectRoot } from '../discovery/find-project-root';
import { readProjectContext } from '../discovery/project-context';
import { buildInventory } from '../inventory/build-inventory';
import { deploymentNames } from '../discovery/deployment-names';
import { handWrittenScope, projectEnvelope } from '../policy/envelope';
import { loadIamReference } from '../policy/iam-reference';
import { buildNameRegistry } from '../policy/name-registry';
import { arnSuffixes, loadCatalog, nameArnTypes } from '../catalog/catalog';
import { describeSource } from '../overrides/apply-overrides';
import { learnActions, proposeGrant, type LearnContext, type ProposedGrant } from './learn-grant';
import {
  OVERRIDES_FILE,
  readOverrides,
  withGrant,
  writeOverrides,
  type OverrideGrant,
} from '../overrides/overrides-file';
import { parseDenials, type Denial } from './parse-denial';
import { quietSdk } from '../aws/quiet-sdk';

export interface LearnOptions {
  readonly projectDir: string;
  readonly envName?: string;
  /** The pasted error text; undefined with stackEvents. */
  readonly message?: string;
  readonly stackEvents: boolean;
  readonly resource?: string;
  readonly allowOutside: boolean;
  readonly yes: boolean;
  readonly profile?: string;
  /** The date recorded (YYYY-MM-DD); today by default. */
  readonly today?: string;
}

export async function runLearn(options: LearnOptions, env: CommandEnv): Promise<number> {
  const { io } = env;
  const rootDir = findProjectRoot(options.projectDir);
  if (!rootDir)
    throw noProjectError(
      `${options.projectDir} is not inside an Amplify project (no amplify/backend/backend-config.json above it).`,
      'Run the command in an Amplify Gen 1 project, or pass --project-dir DIR.',
    );
  const existing = readOverrides(rootDir);
  const catalog = loadCatalog();
  const context = readProjectContext(rootDir, { envName: options.envName });
  const inventory = buildInventory(context, catalog);
  const denials = await readDenials(options, env, context.rootStackName, context.region);
  if (options.resource !== undefined && denials.length > 1)
    throw usageError(
      `The message holds ${denials.length} denials; --resource can name the resource of one only.`,
      'Learn them one at a time: paste one denial with its --resource.',
    );
  const iam = await loadIamReference(
    learnActions(denials, catalog),
    nameArnTypes(catalog.resourceNames),
    arnSuffixes(catalog.resourceNames),
  );
  const learn: LearnContext = {
    context,
    inventory,
    catalog,
    iam,
    envelope: handWrittenScope(
      projectEnvelope(deploymentNames(context), catalog.resourceNames.generatedNames.stackNamePrefixLength),
      buildNameRegistry(inventory, catalog, iam, context.deployedOutputs),
    ),
  };

  const proposals: ProposedGrant[] = [];
  const refused: LeastPrivilegeError[] = [];
  for (const denial of denials) {
    try {
      proposals.push(proposeGrant(denial, learn, options.resource));
    } catch (err) {
      if (!(err instanceof LeastPrivilegeError) || denials.length === 1) throw err;
      refused.push(err);
    }
  }
  for (const err of refused) io.err(`skipped: ${err.message}\n  ${err.resolution}\n`);
  if (proposals.length === 0) throw refused[0];
  const outside = proposals.flatMap((p) =>
    p.resources.flatMap((resource, i) =>
      p.places[i].inside ? [] : [`${p.actions.join(', ')} on ${resource}: ${p.places[i].reason}`],
    ),
  );
  if (outside.length > 0 && !options.allowOutside)
    throw projectError(
      `Not recorded: the grant would reach outside the project:\n  ${outside.join('\n  ')}`,
      'If the project really needs it, run learn again with --allow-outside (generate then reports it as a widening), or write a narrower grant by hand in amplify/least-privilege/overrides.json.',
    );

  const date = options.today ?? new Date().toISOString().slice(0, 10);
  const grants = proposals.map((p) =>
    toGrant(p, options.stackEvents ? 'stack-events' : 'message', date, context.envName),
  );
  let overrides = existing;
  const added: OverrideGrant[] = [];
  for (const grant of grants) {
    const next = withGrant(overrides, grant);
    overrides = next.overrides;
    if (next.added) added.push(grant);
  }
  if (added.length === 0) {
    io.out(
      `Nothing new: ${OVERRIDES_FILE} already holds ${grants.length === 1 ? 'this grant' : 'these grants'}.\n`,
    );
    return 0;
  }
  io.out(describeChange(added, proposals, outside.length > 0));
  if (
    !options.yes &&
    !(await confirmInTerminal(
      `Record ${added.length === 1 ? 'this grant' : 'these grants'} in ${OVERRIDES_FILE}?`,
      env.confirm,
    ))
  ) {
    io.err('Nothing recorded.\n');
    return 1;
  }
  writeOverrides(rootDir, overrides);
  io.out(
    `Recorded in ${OVERRIDES_FILE} (commit it). Apply it: generate (then update the policy in IAM, or generate --attach), and run the command that failed again.\n`,
  );
  return 0;
}

async function readDenials(
  options: LearnOptions,
  env: CommandEnv,
  rootStack: string | undefined,
  region: string | undefined,
): Promise<Denial[]> {
  if (!options.stackEvents) {
    const text = options.message ?? '';
    const denials = parseDenials(text);
    if (denials.length > 0) return denials;
    if (/Encoded authorization failure message/i.test(text))
      throw projectError(
        'The message holds an encoded authorization failure, not the action that was denied.',
        'Decode it with `aws sts decode-authorization-message --encoded-message MESSAGE` and pass the decoded text to learn --message, or use --stack-events.',
      );
    throw projectError(
      'No access denial found in the message.',
      'Pass the whole error as printed: it contains "is not authorized to perform: ACTION" or "API: ACTION Access Denied". Or use --stack-events after a failed push.',
    );
  }
  if (!rootStack)
    throw projectError(
      'The env has no root stack yet (team-provider-info.json has no StackName), so there are no stack events to read.',
      'Pass the error text with --message instead.',
    );
  quietSdk();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the AWS SDK loads only for --stack-events
  const stackEvents = require('./stack-events') as typeof import('./stack-events');
  const cfn = await stackEvents.cloudFormationFor(env, options.profile, region);
  const denials = stackEvents.denialsInEvents(await stackEvents.failedEvents(cfn, rootStack));
  if (denials.length === 0)
    throw projectError(
      `No access denial in the failed events of the last operation of stack ${rootStack} or its nested stacks.`,
      'If the failure was in the Amplify CLI itself (not in CloudFormation), pass its error text with --message.',
    );
  return denials;
}

function toGrant(
  proposal: ProposedGrant,
  from: 'message' | 'stack-events',
  date: string,
  env: string | undefined,
): OverrideGrant {
  const { denial } = proposal;
  const failing = denial.failingResource;
  return {
    actions: proposal.actions,
    resources: proposal.resources,
    ...(proposal.condition ? { condition: proposal.condition } : {}),
    ...(env ? { env } : {}),
    learned: {
      from,
      date,
      message: denial.excerpt,
      ...(denial.caller ? { caller: denial.caller } : {}),
      ...(denial.resource && !proposal.resources.includes(denial.resource)
        ? { deniedResource: denial.resource }
        : {}),
      ...(failing
        ? { failingResource: `${failing.logicalId}${failing.type ? ` (${failing.type})` : ''}` }
        : {}),
    },
  };
}

function describeChange(
  added: readonly OverrideGrant[],
  proposals: readonly ProposedGrant[],
  outside: boolean,
): string {
  const lines = [`learn will add to ${OVERRIDES_FILE}:`];
  for (const grant of added) {
    const proposal = proposals.find((p) => p.denial.excerpt === grant.learned?.message);
    lines.push(
      `  + ${grant.actions.join(', ')} on ${grant.resources.join(', ')}${grant.env ? `  (env ${grant.env})` : ''}`,
    );
    if (grant.condition) lines.push(`    condition: ${JSON.stringify(grant.condition)}`);
    if (proposal) lines.push(`    resource: ${proposal.resourceNote}`);
    lines.push(`    source: ${describeSource(grant)}`);
  }
  if (outside)
    lines.push('  (--allow-outside: generate will report these grants as reaching outside the project)');
  return `${lines.join('\n')}\n`;
}

/** The host CLI's prompt inside Amplify, else inquirer on stderr; never without a terminal. */
async function confirmInTerminal(
  question: string,
  hostPrompt?: (question: string) => Promise<boolean>,
): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw usageError(
      'learn needs a confirmation, and there is no terminal to ask.',
      'Pass --yes to record the grant shown above.',
    );
  if (hostPrompt) return hostPrompt(question);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only when asking
  const inquirer = require('inquirer') as typeof import('inquirer');
  const prompt = inquirer.createPromptModule({ output: process.stderr });
  const { ok } = await prompt<{ ok: boolean }>([
    { type: 'confirm', name: 'ok', message: question, default: false },
  ]);
  return ok;
}

/** `--message-file FILE` (`-` for standard input). */
export function readMessageFile(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw usageError(
      `Cannot read --message-file ${file}: ${(err as Error).message}.`,
      'Pass a readable file, or - for standard input.',
    );
  }
}
