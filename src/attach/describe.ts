import type { NamedPolicy } from '../model';
import { renderDocument } from '../policy/render';
import {
  canonicalLines,
  OWNER_TAG_KEY,
  type Conflict,
  type ExistingPolicy,
  type Plan,
  type Step,
} from './plan';

export interface ChangeSummary {
  readonly addedActions: readonly string[];
  readonly removedActions: readonly string[];
  readonly addedResources: readonly string[];
  readonly removedResources: readonly string[];
}

/** What the target gains and loses: actions and resources of our policies now vs after the change. */
export function summarizeChanges(
  desired: readonly NamedPolicy[],
  current: readonly ExistingPolicy[],
): ChangeSummary {
  const before = collect(current.filter((p) => p.attached).map((p) => p.document));
  const after = collect(desired.map((p) => renderDocument(p.document)));
  const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();
  return {
    addedActions: minus(after.actions, before.actions),
    removedActions: minus(before.actions, after.actions),
    addedResources: minus(after.resources, before.resources),
    removedResources: minus(before.resources, after.resources),
  };
}

function collect(documents: readonly unknown[]): { actions: Set<string>; resources: Set<string> } {
  const actions = new Set<string>();
  const resources = new Set<string>();
  for (const document of documents) {
    const statements = [(document as { Statement?: unknown }).Statement ?? []].flat() as Array<{
      Action?: unknown;
      Resource?: unknown;
    }>;
    for (const statement of statements) {
      [statement.Action ?? []].flat().forEach((a) => actions.add(String(a)));
      [statement.Resource ?? []].flat().forEach((r) => resources.add(String(r)));
    }
  }
  return { actions, resources };
}

const STEP_TEXT: { [K in Step['kind']]: (step: Extract<Step, { kind: K }>) => string } = {
  create: (s) => `create policy   ${s.name}`,
  'delete-version': (s) => `delete version  ${s.name} ${s.versionId} (the oldest; IAM keeps 5)`,
  'new-version': (s) => `new version     ${s.name} (becomes the default)`,
  tag: (s) => `tag             ${s.name} (${OWNER_TAG_KEY}: marks it as ours)`,
  attach: (s) => `attach          ${s.name}`,
  detach: (s) => `detach          ${s.name} (no longer needed)`,
  'delete-policy': (s) => `delete policy   ${s.name}`,
};

const stepText = (step: Step): string => (STEP_TEXT[step.kind] as (s: Step) => string)(step);

/**
 * The plan as the user reads it before anything changes. `title` names policies that are not
 * attached (a plan without target: a CDK execution role's, which cdk bootstrap attaches).
 */
export function formatPlan(
  plan: Plan,
  summary: ChangeSummary,
  quota: number,
  maxLines = 40,
  title = 'the policies',
): string {
  const lines = [
    plan.target
      ? `Changes for IAM ${plan.target.kind} ${plan.target.name} (policies under path /amplify-least-privilege/):`
      : `Changes for ${title} (policies under path /amplify-least-privilege/, created or updated only; attach attaches them to no one):`,
  ];
  if (plan.steps.length === 0 && plan.conflicts.length === 0)
    lines.push(
      plan.target
        ? '  nothing to change: the attached policies are up to date.'
        : '  nothing to change: the policies are up to date.',
    );
  for (const step of plan.steps) lines.push(`  ${stepText(step)}`);
  for (const name of plan.unchanged) lines.push(`  unchanged       ${name}`);
  for (const { name, attachments } of plan.kept)
    lines.push(
      `  kept            ${name} (no longer needed, but attached to ${attachments} identity(ies): take it out of --cloudformation-execution-policies, then run attach again to delete it)`,
    );
  const list = (sign: string, values: readonly string[]): string[] => [
    ...values.slice(0, maxLines).map((v) => `    ${sign} ${v}`),
    ...(values.length > maxLines ? [`    ... and ${values.length - maxLines} more`] : []),
  ];
  if (plan.steps.length > 0) {
    lines.push(`  Actions: +${summary.addedActions.length} -${summary.removedActions.length}`);
    lines.push(...list('+', summary.addedActions), ...list('-', summary.removedActions));
    lines.push(`  Resources: +${summary.addedResources.length} -${summary.removedResources.length}`);
    lines.push(...list('+', summary.addedResources), ...list('-', summary.removedResources));
    if (plan.target)
      lines.push(
        `  Managed policies on the ${plan.target.kind}: at most ${plan.attachedAtMost} during the change (quota ${quota}).`,
      );
  }
  for (const conflict of plan.conflicts) lines.push(...conflictLines(conflict, maxLines));
  return `${lines.join('\n')}\n`;
}

const WHY: Record<Conflict['reason'], (c: Conflict) => string> = {
  'not-ours': (c) =>
    `not ours: it has ${c.ownerTag === undefined ? `no ${OWNER_TAG_KEY} tag` : `the tag ${OWNER_TAG_KEY}=${c.ownerTag}`}, so another project or a person made it`,
  'changed-in-iam': () => 'changed in IAM since attach last wrote it',
};

/** A conflicting policy: why, where else it is attached, and the diff of its default version against ours. */
function conflictLines(conflict: Conflict, maxLines: number): string[] {
  const header = conflict.takenOver
    ? `  TAKEN OVER (--force): ${conflict.name}`
    : `  NOT CHANGED without --force: ${conflict.name}`;
  const elsewhere =
    conflict.attachedElsewhere > 0
      ? `; attached to ${conflict.attachedElsewhere} other user(s), role(s) or group(s)`
      : '';
  const change = conflict.desired
    ? 'the change to its default version (- lines it holds now and would lose, + lines ours adds):'
    : 'the plan would delete it (a shorter split no longer needs it); its default version:';
  const diff = conflict.desired
    ? lineDiff(canonicalLines(conflict.current), canonicalLines(renderDocument(conflict.desired)))
    : canonicalLines(conflict.current).map((line) => `- ${line}`);
  // What would be lost first, then what ours adds, each cut to maxLines.
  const cut = (sign: string): string[] => {
    const lines = diff.filter((line) => line.startsWith(sign));
    return [
      ...lines.slice(0, maxLines).map((line) => `      ${line}`),
      ...(lines.length > maxLines ? [`      ${sign}... and ${lines.length - maxLines} more line(s)`] : []),
    ];
  };
  return [
    header,
    `    ${WHY[conflict.reason](conflict)}${elsewhere}.`,
    `    ${change}`,
    ...cut('- '),
    ...cut('+ '),
  ];
}

/** The lines only one side has (`- ` before, `+ ` after), in order, from a longest common subsequence. */
export function lineDiff(before: readonly string[], after: readonly string[]): string[] {
  const n = before.length;
  const m = after.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      common[i][j] =
        before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      i++;
      j++;
    } else if (j >= m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
      lines.push(`- ${before[i++]}`);
    } else {
      lines.push(`+ ${after[j++]}`);
    }
  }
  return lines;
}
