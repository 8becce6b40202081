import path = require('node:path');
import { loadAttach } from '../src/attach/lazy';
import { generatePolicies } from '../src/engine';
import type { GenerateResult } from '../src/engine';
import {
  ATTACH_OPTIONS,
  booleanOption,
  CDK_OPTIONS,
  cdkOptions,
  checkOptions,
  generateOptions,
  stringOption,
  type Command,
  type CommandIo,
} from '../src/invocation';
import { loadChangesView } from '../src/check/lazy';
import { usageError } from '../src/errors';
import { jsonReport } from '../src/outputs/json-report';
import { POLICY_DIR } from '../src/outputs/policy-files';
import { commitOutputs, planOutputs } from '../src/outputs/write-outputs';

export const generate: Command = {
  name: 'generate',
  summary: 'write the least-privilege IAM policy documents for this project',
  usage:
    'generate [--out FILE] [--phases LIST] [--env NAME] [--permissions-boundary ARN] [--json | --diff] [--attach [--yes] [--dry-run]]\n       generate --cdk-out DIR | --template FILE [--account ID] [--region NAME] [--phases LIST] [--out FILE] [--json] [--attach [--yes] [--dry-run]]',
  options: {
    out: `FILE  write the first document to FILE, the others to FILE-2, FILE-3..., the review to FILE.review.md (default: ${POLICY_DIR}/<policy name>.json and <policy name>.md; never a folder or one of the project's inputs in amplify/)`,
    phases: 'LIST  comma list of phases (default: push,pull,publish,codegen; see "Phases" below)',
    env: 'NAME  the env to generate for (default: the checked-out env)',
    'permissions-boundary':
      "ARN  allow role changes only with this boundary (default: the env's, from amplify env update --permissions-boundary)",
    json: 'print one JSON object {policies, resources, warnings, trimmed, findings} on stdout; no file unless --out',
    diff: "print, as markdown, what generating now would add to and remove from the committed policy files, with the resource or CLI step causing each (check's pull-request view; phases: the committed policy's unless --phases); write nothing",
    attach:
      "then create or update the policies in IAM and attach them (see attach); with --cdk-out/--template: the deployer's are attached, the execution role's only created or updated, and the cdk bootstrap --cloudformation-execution-policies command that uses them is printed",
    ...ATTACH_OPTIONS,
    ...CDK_OPTIONS,
  },
  async run(invocation, env) {
    const { io, cwd } = env;
    checkOptions(invocation, generate);
    const json = booleanOption(invocation, 'json');
    const out = stringOption(invocation, 'out');
    const cdk = cdkOptions(invocation, cwd);
    if (cdk)
      return loadGenerateCdk()(
        cdk,
        json,
        out === undefined ? undefined : resolveOut(cwd, out),
        env,
        booleanOption(invocation, 'attach') ? invocation : undefined,
      );
    const options = generateOptions(invocation, cwd);
    if (booleanOption(invocation, 'diff')) {
      if (json || out !== undefined || booleanOption(invocation, 'attach'))
        throw usageError(
          '--diff only prints the changes; it writes, attaches and prints JSON nothing.',
          'Leave out --json, --out and --attach, or --diff.',
        );
      const { policyChanges, changesMarkdown } = loadChangesView();
      const changes = await policyChanges(options, invocation.options.phases !== undefined);
      io.out(changesMarkdown(changes));
      return 0;
    }
    // Every usage error comes before anything is computed, asked or written.
    const attachModule = booleanOption(invocation, 'attach') ? loadAttach() : undefined;
    attachModule?.attachRequest(invocation);
    const result = await generatePolicies(options);
    const plan =
      json && out === undefined && !attachModule
        ? undefined
        : planOutputs(result, options, out === undefined ? undefined : resolveOut(cwd, out));
    for (const note of plan?.notes ?? []) io.err(`note: ${note}\n`);
    if (!json) printFindings(result, io);
    let files: readonly string[] | undefined;
    let exitCode = 0;
    try {
      if (!attachModule) files = plan && commitOutputs(plan);
      else if (plan) {
        // Written once the attach plan is accepted, before IAM changes: a refused question writes nothing.
        exitCode = await attachModule.attachPolicies(result, invocation, env, options, () => {
          files = commitOutputs(plan);
          return files;
        });
      }
    } finally {
      if (!json) printFiles(result, files, io, cwd, attachModule !== undefined, plan?.review);
    }
    if (json) io.out(`${JSON.stringify(jsonReport(result, files, files && plan?.review))}\n`);
    return exitCode;
  },
};

/** --out against the working folder; a trailing separator (a folder) is kept, for planOutputs to refuse. */
const resolveOut = (cwd: string, out: string): string =>
  `${path.resolve(cwd, out)}${/[\\/]$/.test(out) ? path.sep : ''}`;

/** Warnings and findings on stderr, before any question. */
function printFindings(result: GenerateResult, io: CommandIo): void {
  for (const warning of result.warnings) io.err(`warning: ${warning.text}\n`);
  for (const finding of result.escalations) {
    const grants =
      finding.grants.slice(0, 3).join('; ') +
      (finding.grants.length > 3 ? `; and ${finding.grants.length - 3} more` : '');
    io.err(
      `warning: privilege escalation (${finding.severity}, ${finding.id}): ${finding.reason}\n  grants: ${grants}\n  mitigation: ${finding.mitigation}\n`,
    );
  }
  io.err(`Phases: ${result.phases.join(', ')}; ${result.inventory.resources.length} resources.\n`);
}

/** The files written on stdout (none: a refused attach or a dry run), then how to create the policies, unless attach did. */
function printFiles(
  result: GenerateResult,
  files: readonly string[] | undefined,
  io: CommandIo,
  cwd: string,
  attach: boolean,
  review?: string,
): void {
  if (!files) {
    io.err('No policy file was written.\n');
    return;
  }
  result.policies.forEach((policy, index) => {
    io.out(
      `${path.relative(cwd, files[index]) || files[index]}  ${policy.name}  ${policy.characters} characters\n`,
    );
  });
  if (review)
    io.out(`${path.relative(cwd, review) || review}  review of the policy for whoever approves it\n`);
  if (!attach)
    io.err(
      'Create each with: aws iam create-policy --policy-name NAME --policy-document file://FILE (or use --attach)\n',
    );
}

/** The CDK front end loads only for --cdk-out and --template (an Amplify project never needs it). */
export function loadGenerateCdk(): typeof import('./generate-cdk').generateCdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (require('./generate-cdk') as typeof import('./generate-cdk')).generateCdk;
}
