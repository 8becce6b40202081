import path = require('node:path');
import { loadAttach } from '../src/attach/lazy';
import { generateForAssembly, type CdkGenerateOptions, type CdkGenerateResult } from '../src/cdk-engine';
import type { CommandEnv, CommandIo, Invocation } from '../src/invocation';
import {
  cdkJsonReport,
  commitCdkOutputs,
  executionRoleStep,
  nextSteps,
  planCdkOutputs,
  targetTitle,
} from '../src/outputs/cdk-outputs';

/**
 * `generate --cdk-out DIR` / `--template FILE`: the execution role's and the deployer's
 * documents. With `attach` (generate --attach, or the attach command) the policies are also
 * created or updated in IAM once the plan is accepted, the files written just before.
 */
export async function generateCdk(
  options: CdkGenerateOptions,
  json: boolean,
  out: string | undefined,
  env: CommandEnv,
  attach?: Invocation,
): Promise<number> {
  const { io, cwd } = env;
  // The session checks the attach options first: every usage error comes before anything is computed, asked or written.
  const session = attach ? await loadAttach().cdkAttachSession(options, attach, env) : undefined;
  const result = await generateForAssembly(session ? session.options : options);
  const plan = json && out === undefined && !session ? undefined : planCdkOutputs(result, out);
  if (!json) printFindings(result, io);
  let files: ReadonlyArray<readonly string[]> | undefined;
  let arns: ReadonlyArray<readonly string[]> | undefined;
  let exitCode = 0;
  try {
    if (!session) files = plan && commitCdkOutputs(plan);
    else if (plan) {
      const outcome = await session.attach(result, () => {
        files = commitCdkOutputs(plan);
      });
      exitCode = outcome.exitCode;
      arns = outcome.arns;
    }
  } finally {
    if (!json) printFiles(result, files, io, cwd, session !== undefined);
  }
  if (json) io.out(`${JSON.stringify(cdkJsonReport(result, files))}\n`);
  else if (session && arns && exitCode === 0) printAttachedSteps(result, arns, io, files === undefined);
  return exitCode;
}

/** Each target's files on stdout, then (without attach) the commands that create and use the policies. */
function printFiles(
  result: CdkGenerateResult,
  files: ReadonlyArray<readonly string[]> | undefined,
  io: CommandIo,
  cwd: string,
  attach: boolean,
): void {
  if (attach && !files) {
    io.err('No policy file was written.\n');
    return;
  }
  result.targets.forEach((target, index) => {
    io.out(`${targetTitle(target, result.assembly.source === 'templates')}:\n`);
    target.result.policies.forEach((policy, n) => {
      const file = files?.[index]?.[n];
      io.out(
        `  ${file ? path.relative(cwd, file) || file : '-'}  ${policy.name}  ${policy.characters} characters\n`,
      );
    });
  });
  if (!attach)
    io.err(
      `Then:\n${nextSteps(result, files, cwd)
        .map((line) => `  ${line}\n`)
        .join('')}`,
    );
}

/** After attach: the execution role's policy ARNs and the command that gives them to the role (the deployer's are attached). */
function printAttachedSteps(
  result: CdkGenerateResult,
  arns: ReadonlyArray<readonly string[]>,
  io: CommandIo,
  dryRun: boolean,
): void {
  const lines = result.targets.flatMap((target, index) =>
    target.principal === 'execution-role' && (arns[index]?.length ?? 0) > 0
      ? [executionRoleStep(target, result.assembly.source === 'templates', arns[index])]
      : [],
  );
  if (lines.length > 0)
    io.out(`${dryRun ? 'Then, once applied' : 'Then'}:\n${lines.map((line) => `  ${line}\n`).join('')}`);
}

/** Warnings (each once) and escalation findings on stderr. */
function printFindings(result: CdkGenerateResult, io: CommandIo): void {
  const warnings = new Set(result.targets.flatMap((t) => t.result.warnings.map((w) => w.text)));
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  for (const target of result.targets)
    for (const finding of target.result.escalations)
      io.err(
        `warning: privilege escalation (${finding.severity}, ${finding.id}) in the ${target.principal} policy: ${finding.reason}\n  mitigation: ${finding.mitigation}\n`,
      );
  io.err(
    `Phases: ${result.phases.join(', ')}; ${result.assembly.stacks.length} stack(s), ${result.assembly.stacks.reduce((n, s) => n + s.templates.length, 0)} template(s).\n`,
  );
}
