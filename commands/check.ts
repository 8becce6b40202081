import * as path from 'node:path';
import { loadVerify } from '../src/aws-modules';
import { checkProject, formatMissing } from '../src/guard/check-project';
import { unknownTypesReport, UNKNOWN_TYPES_RESOLUTION } from '../src/guard/push-risks';
import { removalWarning } from '../src/requirements/removals';
import { booleanOption, checkOptions, generateOptions, stringOption, type Command } from '../src/invocation';

export const check: Command = {
  name: 'check',
  summary:
    "exit 0 when the env's committed (or attached) policy covers a push of the project, 1 with what is missing",
  usage: 'check [--env NAME] [--phases LIST] [--verify [--profile NAME]] [--json]',
  options: {
    env: 'NAME  as for generate',
    phases: 'LIST  what to check for (default: push)',
    verify: "also ask IAM (iam:SimulatePrincipalPolicy on the caller's own ARN) what the identity may do",
    profile: 'NAME  AWS profile for --verify (standalone)',
    json: 'print one JSON object {status, env, stale, missing, policyFiles, unknownTypes, statefulRemovals}',
  },
  async run(invocation, env) {
    checkOptions(invocation, check);
    let outcome = await checkProject(generateOptions(invocation, env.cwd, ['push']));
    if (booleanOption(invocation, 'verify') && outcome.status !== 'no-policy')
      outcome = await loadVerify().withIamVerdict(outcome, env, stringOption(invocation, 'profile'));
    const { rootDir } = outcome.result.context;
    const { unknownTypes, statefulRemovals, phases } = outcome.result;
    const json = booleanOption(invocation, 'json');
    if (!json && unknownTypes.length > 0)
      env.io.err(`warning: ${unknownTypesReport(unknownTypes)}\n  Fix: ${UNKNOWN_TYPES_RESOLUTION}\n`);
    if (!json)
      for (const removal of statefulRemovals) env.io.err(`warning: ${removalWarning(removal, phases)}\n`);
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
