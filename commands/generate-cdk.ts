import * as path from 'node:path';
import { generateForAssembly, type CdkGenerateOptions, type CdkGenerateResult } from '../src/cdk-engine';
import type { CommandIo } from '../src/invocation';
import {
  cdkJsonReport,
  commitCdkOutputs,
  nextSteps,
  planCdkOutputs,
  targetTitle,
} from '../src/outputs/cdk-outputs';

/** `generate --cdk-out DIR` / `--template FILE`: the execution role's and the deployer's documents. */
export async function generateCdk(
  options: CdkGenerateOptions,
  json: boolean,
  out: string | undefined,
  io: CommandIo,
  cwd: string,
): Promise<number> {
  const result = await generateForAssembly(options);
  const plan = json && out === undefined ? undefined : planCdkOutputs(result, out);
  if (!json) printFindings(result, io);
  const files = plan && commitCdkOutputs(plan);
  if (json) {
    io.out(`${JSON.stringify(cdkJsonReport(result, files))}\n`);
    return 0;
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
  io.err(
    `Then:\n${nextSteps(result, files, cwd)
      .map((line) => `  ${line}\n`)
      .join('')}`,
  );
  return 0;
}

/** Warnings (each once) and escalation findings on stderr. */
function printFindings(result: CdkGenerateResult, io: CommandIo): void {
  const warnings = new Set(result.targets.flatMap((t) => t.result.warnings));
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
