import type { GenerateResult } from '../engine';
import type { Grant, Requirement } from '../model';
import type { ExcludedGrant } from '../overrides/apply-overrides';
import { OVERRIDES_FILE } from '../overrides/overrides-file';

export interface ExplainedAction {
  readonly action: string;
  /** True when IAM has no resource type for the action, so it can only be granted on `*`. */
  readonly wildcardOnly: boolean;
  readonly reasons: readonly string[];
}

export interface ExplainedStatement {
  readonly policy: string;
  readonly sid: string;
  readonly resources: readonly string[];
  readonly condition?: string;
  readonly actions: readonly ExplainedAction[];
}

/**
 * For every statement (or those whose actions or resources match `term`, a case-insensitive
 * substring with `*` wildcards), which resources and phases need each action and why.
 */
export function explainStatements(result: GenerateResult, term?: string): ExplainedStatement[] {
  const matcher = term ? termMatcher(term) : undefined;
  const explained: ExplainedStatement[] = [];
  for (const [p, policy] of result.policies.entries()) {
    for (const [i, statement] of policy.document.Statement.entries()) {
      const resourceMatch = !matcher || statement.Resource.some(matcher);
      const actions = resourceMatch || !matcher ? statement.Action : statement.Action.filter(matcher);
      if (actions.length === 0) continue;
      const granted = result.origins[p][i];
      explained.push({
        policy: policy.name,
        sid: statement.Sid ?? '',
        resources: statement.Resource,
        condition: statement.Condition ? JSON.stringify(statement.Condition) : undefined,
        actions: actions.map((action) => ({
          action,
          wildcardOnly: (result.iam.action(action)?.resourceTypes.length ?? 0) === 0,
          reasons: reasonsFor(granted.filter((grant) => grant.action === action)),
        })),
      });
    }
  }
  return explained;
}

/** The computed grants overrides.json excluded (or those matching `term`), with the exclusion's reason. */
export function explainExclusions(result: GenerateResult, term?: string): ExcludedGrant[] {
  const matcher = term ? termMatcher(term) : undefined;
  return result.overrides.excluded.filter((e) => !matcher || matcher(e.action) || matcher(e.resource));
}

export function formatExplanation(
  statements: readonly ExplainedStatement[],
  excluded: readonly ExcludedGrant[] = [],
): string {
  if (statements.length === 0 && excluded.length === 0) return 'No statement matches.\n';
  const lines: string[] = [];
  if (excluded.length > 0) {
    lines.push(`Excluded by ${OVERRIDES_FILE}:`);
    for (const e of excluded)
      lines.push(
        `  ${e.action} on ${e.resource}  (exclusions[${e.exclusion}]: ${e.reason}; needed by ${e.neededBy})`,
      );
    lines.push('');
  }
  for (const s of statements) {
    lines.push(`${s.policy} / ${s.sid}`);
    lines.push(`  Resource: ${s.resources.join(', ')}`);
    if (s.condition) lines.push(`  Condition: ${s.condition}`);
    for (const action of s.actions) {
      lines.push(
        `  ${action.action}${action.wildcardOnly ? '  (IAM has no resource type for this action: Resource must be *)' : ''}`,
      );
      for (const reason of action.reasons) lines.push(`    - ${reason}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** One line per distinct reason of the grants' origins, with the phases that need it. */
function reasonsFor(grants: readonly Grant[]): string[] {
  const phasesByReason = new Map<string, Set<string>>();
  const seen = new Set<readonly Requirement[]>();
  for (const origin of grants.flatMap((grant) => grant.origins)) {
    // Grants share their origin groups (every role a handler passes): each is read once.
    if (seen.has(origin)) continue;
    seen.add(origin);
    for (const { reason, phase } of origin) {
      const who =
        reason.via === 'cli'
          ? `${reason.resource === 'project' ? 'the Amplify CLI' : reason.resource} calls it`
          : reason.via === 'override'
            ? `${reason.resource} (granted as written)`
            : `CloudFormation, for ${reason.resource}`;
      const evidence = reason.evidence ? ` {${reason.evidence}}` : '';
      const line = `${who}: ${reason.detail} [${reason.source}]${evidence}`;
      const phases = phasesByReason.get(line) ?? new Set<string>();
      phases.add(phase);
      phasesByReason.set(line, phases);
    }
  }
  return [...phasesByReason].map(([line, phases]) => `${[...phases].sort().join(',')}: ${line}`).sort();
}

function termMatcher(term: string): (value: string) => boolean {
  const source = term
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const pattern = new RegExp(source, 'i');
  return (value) => pattern.test(value);
}
