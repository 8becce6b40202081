/**
 * Where the documents of a CDK assembly go and what the user runs next: the same files (one
 * document per file, byte-identical for the same input, all or none) and the same `--json`
 * report as Gen 1, one set of documents per principal and environment.
 */
import path = require('node:path');
import type { CdkGenerateResult, CdkTarget } from '../cdk-engine';
import { faultError, usageError } from '../errors';
import { partitionOf } from '../discovery/deployment-names';
import { isInside } from '../discovery/safe-names';
import { checkTargets, commitFiles, type FileChange } from './file-transaction';
import { jsonReport } from './json-report';
import { policyFileChanges, policyFilePaths, staleFileChanges } from './policy-files';
import { reviewFilePath, reviewText } from './review';

/** Where `generate --cdk-out` writes by default, relative to the app's folder. */
export const CDK_POLICY_DIR = 'least-privilege';

export interface CdkOutputPlan {
  readonly rootDir: string;
  /** Absolute paths of each target's documents, in the order of the targets and their policies. */
  readonly files: ReadonlyArray<readonly string[]>;
  readonly changes: readonly FileChange[];
}

/**
 * The files: `<app>/least-privilege/<policy name>.json` by default (and earlier runs' surplus
 * files of the same names removed), or `out`, `out-2`, ... across all targets. Refuses an
 * `out` inside the assembly (the input) and invalid documents, before anything is written.
 */
export function planCdkOutputs(result: CdkGenerateResult, out?: string): CdkOutputPlan {
  const { rootDir, assemblyDir } = result.assembly;
  const problems = result.targets.flatMap((t) => t.result.findings.map((f) => f.message));
  if (problems.length > 0) throw faultError(`the generated policy is not valid IAM: ${problems.join('; ')}`);
  if (
    out !== undefined &&
    (/[\\/]$/.test(out) || (assemblyDir && isInside(path.join(rootDir, assemblyDir), out)))
  )
    throw usageError(
      `--out ${out} ${/[\\/]$/.test(out) ? 'is a folder, not a file' : 'is inside the cloud assembly, which is the input'}.`,
      `Choose a file outside the assembly, e.g. --out policies/cfn-exec.json (default: ${CDK_POLICY_DIR}/<policy name>.json).`,
    );
  const all = result.targets.flatMap((t) => t.result.policies);
  const paths = policyFilePaths(all, rootDir, out, CDK_POLICY_DIR);
  const files: string[][] = [];
  let next = 0;
  for (const target of result.targets) {
    files.push(paths.slice(next, next + target.result.policies.length).map((file) => path.resolve(file)));
    next += target.result.policies.length;
  }
  const stale =
    out === undefined
      ? result.targets.flatMap((t) =>
          t.result.policies.length > 0
            ? staleFileChanges(path.join(rootDir, CDK_POLICY_DIR), t.result.policies[0].name, paths)
            : [],
        )
      : [];
  // Each target's review beside its first document, as for Gen 1 (`FILE-N.review.md` with --out).
  const reviews = result.targets.flatMap((target, i) =>
    files[i].length > 0
      ? [
          {
            file: reviewFilePath(files[i][0], out !== undefined),
            content: () => reviewText(target.result, files[i]),
          },
        ]
      : [],
  );
  if (out !== undefined)
    for (const { file } of reviews)
      if (
        paths.some((p) => path.resolve(p) === file) ||
        (assemblyDir && isInside(path.join(rootDir, assemblyDir), file))
      )
        throw usageError(
          `--out ${out}: the review ${file} would overwrite a document or the assembly.`,
          'Choose another --out.',
        );
  const changes = [...policyFileChanges(all, paths), ...reviews, ...stale];
  checkTargets(
    changes.map((c) => c.file),
    rootDir,
  );
  return { rootDir, files, changes };
}

/** Writes the planned files all or none; returns each target's files. */
export function commitCdkOutputs(plan: CdkOutputPlan): ReadonlyArray<readonly string[]> {
  commitFiles(plan.changes, { root: plan.rootDir });
  return plan.files;
}

/** What a target's documents are for, in one line. */
export function targetTitle(target: CdkTarget, plain = false): string {
  const where = `${target.account ?? '<account>'}/${target.region ?? '<region>'}`;
  return target.principal === 'execution-role'
    ? `CloudFormation execution role (${target.roleArn ?? 'the role CloudFormation runs as'}) for ${target.stacks.join(', ')} in ${where}`
    : `Deployer (whoever runs ${plain ? 'aws cloudformation deploy' : 'cdk deploy'}) of ${target.stacks.join(', ')} in ${where}${target.directStacks.length > 0 ? `; without bootstrap roles: ${target.directStacks.join(', ')}` : ''}`;
}

/**
 * The commands that put the documents to use: create each as a managed policy, then bootstrap
 * with the execution role's (`cdk bootstrap --cloudformation-execution-policies`), and attach
 * the deployer's to the user or role that runs cdk deploy.
 */
export function nextSteps(
  result: CdkGenerateResult,
  files: ReadonlyArray<readonly string[]> | undefined,
  cwd: string,
): string[] {
  const lines: string[] = [];
  result.targets.forEach((target, index) => {
    const account = target.account ?? 'ACCOUNT_ID';
    const partition = partitionOf(target.region);
    const arns = target.result.policies.map((p) => `arn:${partition}:iam::${account}:policy/${p.name}`);
    target.result.policies.forEach((policy, n) => {
      const file = files?.[index]?.[n];
      const shown = file ? path.relative(cwd, file) || file : `${policy.name}.json`;
      lines.push(`aws iam create-policy --policy-name ${policy.name} --policy-document file://${shown}`);
    });
    if (target.principal === 'execution-role') {
      lines.push(executionRoleStep(target, result.assembly.source === 'templates', arns));
    } else {
      lines.push(
        `aws iam attach-user-policy --user-name NAME --policy-arn ${arns.join(' (and ')}${arns.length > 1 ? ')' : ''}   # or attach-role-policy --role-name NAME`,
      );
    }
  });
  return lines;
}

/**
 * How the execution role's managed policies (`arns`) come into use: `cdk bootstrap
 * aws://ACCOUNT/REGION --cloudformation-execution-policies ARN[,ARN]` (with `--qualifier Q`
 * when it is not the default), or, for plain templates, the service role to attach them to.
 */
export function executionRoleStep(target: CdkTarget, plain: boolean, arns: readonly string[]): string {
  if (plain)
    return `attach ${arns.join(', ')} to the service role you deploy the templates with (aws cloudformation deploy --role-arn ROLE_ARN)`;
  const qualifier =
    target.qualifier && target.qualifier !== DEFAULT_QUALIFIER ? ` --qualifier ${target.qualifier}` : '';
  return `cdk bootstrap aws://${target.account ?? 'ACCOUNT_ID'}/${target.region ?? 'REGION'}${qualifier} --cloudformation-execution-policies ${arns.join(',')}`;
}

/** The bootstrap qualifier `cdk bootstrap` uses without --qualifier. */
const DEFAULT_QUALIFIER = 'hnb659fds';

/**
 * The `--json` report: the Gen 1 report's fields over every target (policies with their
 * principal and environment), plus `cdk`: the assembly's stacks and each target's policies.
 */
export function cdkJsonReport(
  result: CdkGenerateResult,
  files?: ReadonlyArray<readonly string[]>,
): Record<string, unknown> {
  const reports = result.targets.map((target, index) => ({
    target,
    report: jsonReport(target.result, files?.[index]),
  }));
  const list = (key: string): unknown[] => reports.flatMap(({ report }) => report[key] as unknown[]);
  const unique = (values: unknown[]): unknown[] => {
    const seen = new Map<string, unknown>();
    for (const value of values) seen.set(JSON.stringify(value), value);
    return [...seen.values()];
  };
  return {
    policies: reports.flatMap(({ target, report }) =>
      (report.policies as Array<Record<string, unknown>>).map((policy) => ({
        ...policy,
        principal: target.principal,
        ...(target.account ? { account: target.account } : {}),
        ...(target.region ? { region: target.region } : {}),
      })),
    ),
    resources: unique(list('resources')),
    phases: result.phases,
    warnings: unique(list('warnings')),
    widened: unique(list('widened')),
    trimmed: unique(list('trimmed')),
    findings: unique(list('findings')),
    unknownTypes: unique(list('unknownTypes')),
    cdk: {
      source: result.assembly.source,
      ...(result.assembly.assemblyDir ? { assembly: result.assembly.assemblyDir } : {}),
      stacks: result.assembly.stacks.map((stack) => ({
        id: stack.id,
        stackName: stack.stackName,
        ...(stack.account ? { account: stack.account } : {}),
        ...(stack.region ? { region: stack.region } : {}),
        ...(stack.qualifier ? { qualifier: stack.qualifier } : {}),
        templates: stack.templates.map((t) => t.file),
        bootstrapRoles: Boolean(stack.deployRoleArn),
      })),
      targets: result.targets.map((target) => ({
        principal: target.principal,
        ...(target.account ? { account: target.account } : {}),
        ...(target.region ? { region: target.region } : {}),
        stacks: target.stacks,
        ...(target.qualifier ? { qualifier: target.qualifier } : {}),
        ...(target.roleArn ? { roleArn: target.roleArn } : {}),
        ...(target.directStacks.length > 0 ? { directStacks: target.directStacks } : {}),
        policies: target.result.policies.map((p) => p.name),
      })),
    },
  };
}
