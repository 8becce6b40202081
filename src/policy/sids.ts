import type { Statement } from '../model';

/**
 * Gives statements stable, short Sids derived from content (they count against the size
 * limit): the services of the actions, `Any` for `Resource: "*"`, `Cfn` when only
 * CloudFormation may use it (aws:CalledVia), `If` for other conditions, and a number when two
 * statements would share a Sid. Sids allow only [A-Za-z0-9].
 */
export function assignSids(statements: readonly Statement[]): Statement[] {
  const used = new Map<string, number>();
  return statements.map((statement) => {
    const base = baseSid(statement);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return { ...statement, Sid: count === 1 ? base : `${base}${count}` };
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
