import type { PermissionChange, PolicyChanges } from './policy-changes';
import { compareText } from '../text-order';

/** Rows of the tables: changes of one ARN pattern with the same causes share a row. */
const MAX_ROWS = 100;

/**
 * The pull-request view of the changes: which resources came and went, then the permissions
 * added and removed, per ARN pattern, with what causes them. Markdown for a PR comment.
 */
export function changesMarkdown(changes: PolicyChanges): string {
  const lines: string[] = [];
  const files = changes.policyFiles.map((f) => `\`${f}\``).join(', ');
  const phases = changes.phases.map((p) => `\`${p}\``).join(', ');
  if (changes.status === 'no-policy') {
    lines.push(
      `## Least-privilege policy for env \`${changes.env}\`: none committed`,
      '',
      'No policy was generated for this env: run `amplify least-privilege generate` and commit `amplify/least-privilege/`.',
    );
    return `${lines.join('\n')}\n`;
  }
  const title =
    changes.status === 'unchanged'
      ? 'no change'
      : `${changes.added.length} added, ${changes.removed.length} removed`;
  lines.push(`## Least-privilege policy for env \`${changes.env}\`: ${title}`, '');
  lines.push(`The committed policy (${files}) against what the project needs now (phases ${phases}).`, '');
  if (changes.resourcesAdded.length > 0 || changes.resourcesRemoved.length > 0) {
    const list = (labels: readonly string[]): string =>
      labels.length > 0 ? labels.map((l) => `\`${l}\``).join(', ') : 'none';
    lines.push(
      `Resources added: ${list(changes.resourcesAdded)}. Resources removed: ${list(changes.resourcesRemoved)}.`,
      '',
    );
  }
  if (changes.added.length > 0) {
    lines.push(
      `### Added (${changes.added.length}): the committed policy does not allow these, so a push would be denied`,
      '',
      ...table(changes.added, 'Needed by'),
      '',
    );
  }
  if (changes.removed.length > 0) {
    lines.push(
      `### Removed (${changes.removed.length}): granted, and nothing in the project needs them now`,
      '',
      ...table(changes.removed, `Was needed by${changes.review ? ` (${changes.review})` : ''}`),
      '',
    );
  }
  if (changes.status === 'changed')
    lines.push(
      'To update the policy: run `amplify least-privilege generate` and commit `amplify/least-privilege/`.',
    );
  else lines.push('The committed policy grants exactly what the project needs.');
  return `${lines.join('\n').trimEnd()}\n`;
}

function table(changes: readonly PermissionChange[], causeHeading: string): string[] {
  const rows = new Map<string, { resource: string; actions: string[]; causes: readonly string[] }>();
  for (const change of changes) {
    const key = `${change.resource}\n${change.causes.join('\n')}`;
    const row = rows.get(key) ?? { resource: change.resource, actions: [], causes: change.causes };
    row.actions.push(change.action);
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort(
    (a, b) => compareText(a.resource, b.resource) || compareText(a.actions[0], b.actions[0]),
  );
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [`| Resource | Actions | ${causeHeading} |`, '|---|---|---|'];
  for (const row of sorted.slice(0, MAX_ROWS))
    lines.push(
      `| \`${cell(row.resource)}\` | ${row.actions
        .sort()
        .map((a) => `\`${a}\``)
        .join(', ')} | ${row.causes.length > 0 ? cell(row.causes.join('; ')) : 'not recorded'} |`,
    );
  if (sorted.length > MAX_ROWS) lines.push(`| … | ${sorted.length - MAX_ROWS} more rows | |`);
  return lines;
}
