import type { CfnResource } from '../model';
import type { TrimRule } from './catalog';

/** A handler action left out for one resource type of one resource, and why. */
export interface TrimmedAction {
  readonly action: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly reason: string;
}

/**
 * The optional handler actions (data/handler-trimming.json) that none of the given resources
 * of one type needs, with the reason: no resource sets a property that makes the handler call
 * them. An action two rules name stays when either rule needs it. When the properties of any
 * of the resources are unknown, nothing is trimmed.
 */
export function trimmedActions(
  resources: readonly CfnResource[],
  rules: readonly TrimRule[],
  features: readonly string[],
): Map<string, string> {
  const trimmed = new Map<string, string>();
  if (resources.some((r) => r.propertyPaths === undefined)) return trimmed;
  const sets = (paths: readonly string[] = []): boolean =>
    paths.some((path) => resources.some((r) => r.propertyPaths?.includes(path)));
  const needed = (rule: TrimRule): boolean =>
    (rule.whenFeature !== undefined && features.includes(rule.whenFeature)) ||
    (rule.tags ? features.includes('stackTags') || sets(rule.tags) : sets(rule.whenAny));
  const kept = new Set(rules.filter(needed).flatMap((rule) => rule.actions));
  for (const rule of rules.filter((r) => !needed(r))) {
    for (const action of rule.actions) {
      if (!kept.has(action) && !trimmed.has(action)) trimmed.set(action, `not needed without ${rule.reason}`);
    }
  }
  return trimmed;
}
