import type { Grant, Inventory, Reason, Requirement } from '../model';
import { resourceLabel } from '../inventory/resource-label';
import { compareText } from '../text-order';

/** One missing permission: the action, the resource it is needed on, and what needs it. */
export interface MissingPermission {
  readonly action: string;
  readonly resource: string;
  readonly neededBy: readonly string[];
}

/**
 * One entry per action and resource, with the resources that need it there: the reasons whose
 * own resource gives the ARN its name (every resource of the type when no name tells them apart).
 */
export function group(grants: readonly Grant[], inventory?: Inventory): MissingPermission[] {
  return neededReasons(grants, inventory).map(({ action, resource, reasons }) => ({
    action,
    resource,
    neededBy: [...new Set(reasons.map((reason) => `${reason.resource}: ${reason.summary}`))].sort(),
  }));
}

/** Per action and resource (sorted), the reasons that need it there (see group). */
export function neededReasons(
  grants: readonly Grant[],
  inventory?: Inventory,
): Array<{ action: string; resource: string; reasons: Reason[] }> {
  const names = inventory ? namesByResource(inventory) : new Map<string, Map<string, string[]>>();
  const byKey = new Map<string, { action: string; resource: string; groups: Set<readonly Requirement[]> }>();
  for (const grant of grants) {
    const key = `${grant.action} ${grant.resource}`;
    const entry = byKey.get(key) ?? { action: grant.action, resource: grant.resource, groups: new Set() };
    grant.origins.forEach((origin) => entry.groups.add(origin));
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map((e) => {
      const reasons = new Set<Reason>();
      for (const origin of e.groups) for (const { reason } of origin) reasons.add(reason);
      const naming = [...reasons].filter((reason) => namesTheArn(reason, e.resource, names));
      return { action: e.action, resource: e.resource, reasons: naming.length > 0 ? naming : [...reasons] };
    })
    .sort((a, b) => compareText(a.action, b.action) || compareText(a.resource, b.resource));
}

/** By resource label (`function/lpfn`, `root stack`), the physical names of its CloudFormation resources per type. */
function namesByResource(inventory: Inventory): Map<string, Map<string, string[]>> {
  const byLabel = new Map<string, Map<string, string[]>>();
  for (const resource of inventory.resources) {
    const label = resourceLabel(resource);
    const byType = byLabel.get(label) ?? new Map<string, string[]>();
    for (const cfn of resource.cfnResources)
      byType.set(cfn.type, [...(byType.get(cfn.type) ?? []), ...cfn.names]);
    byLabel.set(label, byType);
  }
  return byLabel;
}

/** The reason's resource has a resource of the reason's type whose name appears in the ARN. */
function namesTheArn(reason: Reason, arn: string, names: Map<string, Map<string, string[]>>): boolean {
  if (reason.resourceType === undefined) return false;
  const own = names.get(reason.resource)?.get(reason.resourceType) ?? [];
  return own.some((name) => name.replace(/\*/g, '').length > 0 && arn.includes(name));
}

/**
 * The human report of missing permissions; with `fix`, a last line naming the command that
 * fixes them. An error leaves it out: its resolution is that line (the host CLI prints it
 * as `Resolution:`, the bin on the line after the message), and one fix is said once.
 */
export function formatMissing(
  outcome: { readonly env: string; readonly missing: readonly MissingPermission[] },
  fix?: string,
): string {
  const lines = [
    `The least-privilege policy for env ${outcome.env} does not allow ${outcome.missing.length} permission(s) this push needs:`,
  ];
  for (const m of outcome.missing.slice(0, 30)) {
    const more = m.neededBy.length > 1 ? `; and ${m.neededBy.length - 1} more` : '';
    lines.push(`  - ${m.action} on ${m.resource}  (needed by ${m.neededBy[0] ?? 'this project'}${more})`);
  }
  if (outcome.missing.length > 30) lines.push(`  ... and ${outcome.missing.length - 30} more`);
  if (fix) lines.push(`Fix: ${fix}`);
  return `${lines.join('\n')}\n`;
}
