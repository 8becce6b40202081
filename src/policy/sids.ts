import type { Statement } from '../model';

/**
 * The longest Sid: with its JSON (`"Sid":"",`) it takes at most the room the split leaves each
 * statement for it (split.ts SID_ALLOWANCE), so a statement split to fit still fits with its Sid.
 */
export const MAX_SID_LENGTH = 31;

/**
 * Gives statements stable, short Sids derived from content (they count against the size
 * limit): the services of the actions, `Any` for `Resource: "*"`, `Cfn` when only
 * CloudFormation may use it (aws:CalledVia), `If` for other conditions, and a number when two
 * statements would share a Sid; cut to MAX_SID_LENGTH (long service names), still unique.
 * Sids allow only [A-Za-z0-9].
 */
export function assignSids(statements: readonly Statement[]): Statement[] {
  const counts = new Map<string, number>();
  const used = new Set<string>();
  return statements.map((statement) => {
    const base = baseSid(statement).slice(0, MAX_SID_LENGTH);
    let count = counts.get(base) ?? 0;
    let sid: string;
    do {
      count += 1;
      sid = count === 1 ? base : `${base.slice(0, MAX_SID_LENGTH - String(count).length)}${count}`;
    } while (used.has(sid));
    counts.set(base, count);
    used.add(sid);
    return { ...statement, Sid: sid };
  });
}

function baseSid(statement: Statement): string {
  const services = [...new Set(statement.Action.map((action) => action.split(':')[0]))];
  const servicePart = services.length > 2 ? `${pascal(services[0])}More` : services.map(pascal).join('');
  const scope = statement.Resource.length === 1 && statement.Resource[0] === '*' ? 'Any' : '';
  const condition = statement.Condition
    ? JSON.stringify(statement.Condition).includes('aws:CalledVia')
      ? 'Cfn'
      : 'If'
    : '';
  return `${servicePart}${scope}${condition}` || 'Statement';
}

const pascal = (service: string): string =>
  service
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
