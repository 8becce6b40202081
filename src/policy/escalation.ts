import type { NamedPolicy, Statement } from '../model';
import type { EscalationClause, EscalationRules } from '../catalog/schemas';
import type { Reach } from './merge-disjoint';

/** A combination of grants that lets the holder gain permissions beyond the policy. */
export interface EscalationFinding {
  readonly id: string;
  readonly severity: 'high' | 'medium';
  readonly reason: string;
  readonly mitigation: string;
  /** The grants that make the rule fire: `action on resource`. */
  readonly grants: readonly string[];
}

/**
 * Privilege-escalation report (data/escalation-rules.json): every rule whose clauses all hold
 * for the documents, with the grants that make it fire.
 */
export function escalationFindings(
  policies: readonly NamedPolicy[],
  rules: EscalationRules,
  reach: Reach,
): EscalationFinding[] {
  const statements = policies.flatMap((p) => p.document.Statement);
  const findings: EscalationFinding[] = [];
  for (const rule of rules.rules) {
    const grants = rule.clauses.map((clause) =>
      matchingGrants(clause, statements, rules.computeServices, reach),
    );
    if (grants.every((g) => g.length > 0)) {
      findings.push({
        id: rule.id,
        severity: rule.severity,
        reason: rule.reason,
        mitigation: rule.mitigation,
        grants: [...new Set(grants.flat())].sort(),
      });
    }
  }
  return findings;
}

/** `action on resource` for every pair the clause matches; merged statements only count the resources an action can reach. */
function matchingGrants(
  clause: EscalationClause,
  statements: readonly Statement[],
  computeServices: readonly string[],
  reach: Reach,
): string[] {
  const grants: string[] = [];
  for (const statement of statements) {
    const condition = JSON.stringify(statement.Condition ?? {});
    if (clause.kind === 'passRoleTo') {
      if (!statement.Action.includes('iam:PassRole')) continue;
      const passedTo = statement.Condition?.StringEquals?.['iam:PassedToService'];
      const services =
        passedTo === undefined
          ? computeServices
          : [passedTo].flat().filter((s) => computeServices.includes(s));
      const roles = statement.Resource.filter((r) => reach('iam:PassRole', r));
      if (services.length > 0)
        grants.push(...roles.map((r) => `iam:PassRole on ${r} to ${services.join(', ')}`));
      continue;
    }
    const actions = statement.Action.filter((a) => clause.actions.includes(a));
    if (actions.length === 0) continue;
    if (clause.kind === 'granted') {
      if (clause.unlessConditionKey && condition.includes(clause.unlessConditionKey)) continue;
      grants.push(
        ...actions.flatMap((a) => statement.Resource.filter((r) => reach(a, r)).map((r) => `${a} on ${r}`)),
      );
    } else {
      const broad = statement.Resource.filter((r) => isBroad(r, clause.resourceType, clause.minimumPrefix));
      grants.push(...actions.flatMap((a) => broad.filter((r) => reach(a, r)).map((r) => `${a} on ${r}`)));
    }
  }
  return grants;
}

/** `*`, or an ARN of the resource type whose name starts with a wildcard or with fewer literal characters than `minimumPrefix`. */
export function isBroad(resource: string, resourceType: string, minimumPrefix: number): boolean {
  if (resource === '*') return true;
  const marker = `:${resourceType}/`;
  const at = resource.indexOf(marker);
  if (at < 0) return false;
  const name = resource.slice(at + marker.length);
  const wildcard = name.search(/[*?]/);
  return wildcard >= 0 && wildcard < minimumPrefix;
}
