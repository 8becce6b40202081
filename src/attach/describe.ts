import type { NamedPolicy } from '../model';
import { renderDocument } from '../policy/render';
import type { ExistingPolicy, Plan, Step } from './plan';

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
  attach: (s) => `attach          ${s.name}`,
  detach: (s) => `detach          ${s.name} (no longer needed)`,
  'delete-policy': (s) => `delete policy   ${s.name}`,
};

const stepText = (step: Step): string => (STEP_TEXT[step.kind] as (s: Step) => string)(step);

/** The plan as the user reads it before anything changes. */
export function formatPlan(plan: Plan, summary: ChangeSummary, quota: number, maxLines = 40): string {
  const target = `${plan.target.kind} ${plan.target.name}`;
  const lines = [`Changes for IAM ${target} (policies under path /amplify-least-privilege/):`];
  if (plan.steps.length === 0) lines.push('  nothing to change: the attached policies are up to date.');
  for (const step of plan.steps) lines.push(`  ${stepText(step)}`);
  for (const name of plan.unchanged) lines.push(`  unchanged       ${name}`);
  const list = (sign: string, values: readonly string[]): string[] => [
    ...values.slice(0, maxLines).map((v) => `    ${sign} ${v}`),
    ...(values.length > maxLines ? [`    ... and ${values.length - maxLines} more`] : []),
  ];
  if (plan.steps.length > 0) {
    lines.push(`  Actions: +${summary.addedActions.length} -${summary.removedActions.length}`);
    lines.push(...list('+', summary.addedActions), ...list('-', summary.removedActions));
    lines.push(`  Resources: +${summary.addedResources.length} -${summary.removedResources.length}`);
    lines.push(...list('+', summary.addedResources), ...list('-', summary.removedResources));
    lines.push(
      `  Managed policies on the ${plan.target.kind}: at most ${plan.attachedAtMost} during the change (quota ${quota}).`,
    );
  }
  return `${lines.join('\n')}\n`;
}
