import * as path from 'node:path';
import { generatePolicies } from '../src/engine';
import { projectError } from '../src/errors';
import { booleanOption, checkOptions, generateOptions, stringOption, type Command } from '../src/invocation';
import { jsonReport } from '../src/outputs/json-report';
import { POLICY_DIR, policyFilePaths, writePolicyFiles } from '../src/outputs/policy-files';

export const generate: Command = {
  name: 'generate',
  summary: 'write the least-privilege IAM policy documents for this project',
  usage: 'generate [--out FILE] [--phases LIST] [--env NAME] [--permissions-boundary ARN] [--json]',
  options: {
    out: `FILE  write the first document to FILE, the others to FILE-2, FILE-3... (default: ${POLICY_DIR}/<policy name>.json)`,
    phases:
      'LIST  comma list of push (default: push, pull, status), init (env add, first deploy), delete (env remove, amplify delete; also lets a push delete what it removes)',
    env: 'NAME  the env to generate for (default: the checked-out env)',
    'permissions-boundary':
      "ARN  allow role changes only with this boundary (default: the env's, from amplify env update --permissions-boundary)",
    json: 'print one JSON object {policies, resources, warnings, trimmed, findings} on stdout; no file unless --out',
  },
  async run(invocation, { io, cwd }) {
    checkOptions(invocation, generate);
    const json = booleanOption(invocation, 'json');
    const out = stringOption(invocation, 'out');
    const result = await generatePolicies(generateOptions(invocation, cwd));
    if (result.findings.length > 0) {
      throw projectError(
        `The generated policy is not valid IAM: ${result.findings.map((f) => f.message).join('; ')}`,
        'This is a bug in amplify-least-privilege; please report it with the project layout.',
      );
    }
    const files =
      json && !out
        ? undefined
        : policyFilePaths(result.policies, result.context.rootDir, out && path.resolve(cwd, out));
    if (files) await writePolicyFiles(result.policies, files, out ? undefined : result.policies[0]?.name);
    if (json) {
      io.out(`${JSON.stringify(jsonReport(result, files))}\n`);
      return 0;
    }
    for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
    for (const finding of result.escalations) {
      io.err(
        `warning: privilege escalation (${finding.severity}, ${finding.id}): ${finding.reason}\n  grants: ${finding.grants.slice(0, 3).join('; ')}${finding.grants.length > 3 ? `; and ${finding.grants.length - 3} more` : ''}\n  mitigation: ${finding.mitigation}\n`,
      );
    }
    io.err(`Phases: ${result.phases.join(', ')}; ${result.inventory.resources.length} resources.\n`);
    result.policies.forEach((policy, index) => {
      io.out(
        `${path.relative(cwd, files?.[index] ?? '') || files?.[index]}  ${policy.name}  ${policy.characters} characters\n`,
      );
    });
    io.err('Create each with: aws iam create-policy --policy-name NAME --policy-document file://FILE\n');
    return 0;
  },
};
