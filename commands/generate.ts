import * as path from 'node:path';
import { loadAttach } from '../src/aws-modules';
import { generatePolicies } from '../src/engine';
import type { GenerateResult } from '../src/engine';
import {
  ATTACH_OPTIONS,
  booleanOption,
  checkOptions,
  generateOptions,
  stringOption,
  type Command,
  type CommandIo,
} from '../src/invocation';
import { jsonReport } from '../src/outputs/json-report';
import { POLICY_DIR } from '../src/outputs/policy-files';
import { writeOutputs } from '../src/outputs/write-outputs';

export const generate: Command = {
  name: 'generate',
  summary: 'write the least-privilege IAM policy documents for this project',
  usage:
    'generate [--out FILE] [--phases LIST] [--env NAME] [--permissions-boundary ARN] [--json] [--attach [--yes] [--dry-run]]',
  options: {
    out: `FILE  write the first document to FILE, the others to FILE-2, FILE-3... (default: ${POLICY_DIR}/<policy name>.json)`,
    phases: 'LIST  comma list of phases (default: push,pull,publish,codegen; see "Phases" below)',
    env: 'NAME  the env to generate for (default: the checked-out env)',
    'permissions-boundary':
      "ARN  allow role changes only with this boundary (default: the env's, from amplify env update --permissions-boundary)",
    json: 'print one JSON object {policies, resources, warnings, trimmed, findings} on stdout; no file unless --out',
    attach: 'then create or update the policies in IAM and attach them (see attach)',
    ...ATTACH_OPTIONS,
  },
  async run(invocation, env) {
    const { io, cwd } = env;
    checkOptions(invocation, generate);
    const json = booleanOption(invocation, 'json');
    const out = stringOption(invocation, 'out');
    const options = generateOptions(invocation, cwd);
    const result = await generatePolicies(options);
    const files =
      json && !out ? undefined : await writeOutputs(result, options, out && path.resolve(cwd, out));
    if (json) {
      io.out(`${JSON.stringify(jsonReport(result, files))}\n`);
    } else {
      printSummary(result, files, io, cwd, booleanOption(invocation, 'attach'));
    }
    return booleanOption(invocation, 'attach')
      ? loadAttach().attachPolicies(
          result,
          invocation,
          env,
          options,
          files ?? (await writeOutputs(result, options)),
        )
      : 0;
  },
};

/**
 * The human output: warnings and findings on stderr, the files written on stdout, then how to
 * create the policies, unless --attach does it next (its plan and result end the output).
 */
function printSummary(
  result: GenerateResult,
  files: readonly string[] | undefined,
  io: CommandIo,
  cwd: string,
  attach: boolean,
): void {
  for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
  for (const finding of result.escalations) {
    const grants =
      finding.grants.slice(0, 3).join('; ') +
      (finding.grants.length > 3 ? `; and ${finding.grants.length - 3} more` : '');
    io.err(
      `warning: privilege escalation (${finding.severity}, ${finding.id}): ${finding.reason}\n  grants: ${grants}\n  mitigation: ${finding.mitigation}\n`,
    );
  }
  io.err(`Phases: ${result.phases.join(', ')}; ${result.inventory.resources.length} resources.\n`);
  result.policies.forEach((policy, index) => {
    io.out(
      `${path.relative(cwd, files?.[index] ?? '') || files?.[index]}  ${policy.name}  ${policy.characters} characters\n`,
    );
  });
  if (!attach)
    io.err(
      'Create each with: aws iam create-policy --policy-name NAME --policy-document file://FILE (or use --attach)\n',
    );
}
