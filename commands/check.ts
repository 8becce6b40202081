import path = require('node:path');
import { loadChangesView, loadVerify } from '../src/check/lazy';
import { checkProject, type CheckOutcome } from '../src/check/check-project';
import { formatMissing } from '../src/check/missing';
import { GuardFileError } from '../src/outputs/guard-files';
import { unknownTypesReport, UNKNOWN_TYPES_RESOLUTION } from '../src/guard/push-risks';
import { removalWarning } from '../src/requirements/removals';
import { usageError } from '../src/errors';
import { booleanOption, checkOptions, generateOptions, stringOption, type Command } from '../src/invocation';

export const check: Command = {
  name: 'check',
  summary:
    "exit 0 when the env's committed (or attached) policy covers a push of the project, 1 with what is missing",
  usage: 'check [--env NAME] [--phases LIST] [--verify [--profile NAME]] [--json | --format markdown]',
  options: {
    env: 'NAME  as for generate',
    phases: 'LIST  what to check for (default: push)',
    verify: "also ask IAM (iam:SimulatePrincipalPolicy on the caller's own ARN) what the identity may do",
    profile: 'NAME  AWS profile for --verify (standalone)',
    format:
      "FORMAT  markdown: print the pull-request view instead: the permissions a regenerated policy adds and removes against the committed files, per ARN pattern, with the resource or CLI step that causes each (phases: the committed policy's unless --phases); exit 1 when some are added",
    json: 'print one JSON object {status, env, stale, missing, policyFiles, unknownTypes, statefulRemovals}; {status: "invalid-policy", error, resolution} when a state or policy file is unusable',
  },
  async run(invocation, env) {
    checkOptions(invocation, check);
    const format = stringOption(invocation, 'format');
    if (format !== undefined) {
      if (format !== 'markdown' && format !== 'text')
        throw usageError(
          `--format ${format} is not a format check prints.`,
          'Write --format markdown (or leave it out).',
        );
      if (format === 'markdown') {
        if (booleanOption(invocation, 'json') || booleanOption(invocation, 'verify'))
          throw usageError(
            '--format markdown prints no JSON and asks IAM nothing.',
            'Leave out --json and --verify.',
          );
        const { policyChanges, changesMarkdown } = loadChangesView();
        const changes = await policyChanges(
          generateOptions(invocation, env.cwd, ['push']),
          invocation.options.phases !== undefined,
        );
        env.io.out(changesMarkdown(changes));
        return changes.status === 'no-policy' || changes.added.length > 0 ? 1 : 0;
      }
    }
    let outcome: CheckOutcome;
    try {
      outcome = await checkProject(generateOptions(invocation, env.cwd, ['push']));
    } catch (err) {
      // A state or policy file that cannot be read is an error (exit 1), never "no policy".
      if (!(err instanceof GuardFileError) || !booleanOption(invocation, 'json')) throw err;
      env.io.out(
        `${JSON.stringify({ status: 'invalid-policy', error: err.message, resolution: err.resolution })}\n`,
      );
      return 1;
    }
    if (booleanOption(invocation, 'verify') && outcome.status !== 'no-policy')
      outcome = await loadVerify().withIamVerdict(outcome, env, stringOption(invocation, 'profile'));
    const { rootDir } = outcome.result.context;
    const { unknownTypes, statefulRemovals, phases } = outcome.result;
    const json = booleanOption(invocation, 'json');
    if (!json && unknownTypes.length > 0)
      env.io.err(`warning: ${unknownTypesReport(unknownTypes)}\n  Fix: ${UNKNOWN_TYPES_RESOLUTION}\n`);
    if (!json)
      for (const removal of statefulRemovals)
        env.io.err(`warning: ${removalWarning(removal, phases).text}\n`);
    if (json) {
      const { status, stale, missing, policyFiles } = outcome;
      env.io.out(
        `${JSON.stringify({ status, env: outcome.env, stale, missing, policyFiles, unknownTypes, statefulRemovals })}\n`,
      );
    } else if (outcome.status === 'no-policy') {
      env.io.err(
        `No policy for env ${outcome.env}: run \`amplify least-privilege generate\` and commit amplify/least-privilege/.\n`,
      );
    } else if (outcome.status === 'missing') {
      env.io.err(
        formatMissing(
          outcome,
          'amplify least-privilege generate --attach (or generate and update the policy in IAM).',
        ),
      );
    } else {
      const files = outcome.policyFiles.map((f) => path.relative(env.cwd, path.join(rootDir, f))).join(', ');
      env.io.out(
        `The policy for env ${outcome.env} (${files}) covers a push of this project${outcome.stale ? '; the project changed since it was generated' : ''}.\n`,
      );
    }
    return outcome.status === 'covered' ? 0 : 1;
  },
};
