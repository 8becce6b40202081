import type { GenerateResult } from '../engine';
import { renderDocument } from '../policy/render';
import { warningTexts } from '../results';
import { compareText } from '../text-order';

/** The `--json` shape other tools rely on: policies, resources, warnings (and document findings when any). */
export function jsonReport(
  result: GenerateResult,
  files?: readonly string[],
  review?: string,
): Record<string, unknown> {
  return {
    policies: result.policies.map((policy, index) => ({
      name: policy.name,
      document: renderDocument(policy.document),
      characters: policy.characters,
      ...(files ? { file: files[index] } : {}),
    })),
    resources: result.inventory.resources.map((resource) => ({
      category: resource.category,
      service: resource.service,
      name: resource.name,
      resourceTypes: [...new Set(resource.cfnResources.map((c) => c.type))].sort(),
      typesFrom: resource.typesFrom,
      ...(resource.removed ? { removed: true } : {}),
    })),
    phases: result.phases,
    warnings: warningTexts(result.warnings),
    widened: result.widened,
    trimmed: uniqueTrimmed(result),
    findings: result.escalations,
    overrides: {
      grants: result.overrides.grants.map(({ index, grant, source }) => ({
        index,
        actions: grant.actions,
        resources: grant.resources,
        ...(grant.condition ? { condition: grant.condition } : {}),
        ...(grant.env ? { env: grant.env } : {}),
        source: grant.learned ? { learned: grant.learned } : { handWritten: grant.reason },
        description: source,
      })),
      excluded: result.overrides.excluded,
    },
    unknownTypes: result.unknownTypes,
    statefulRemovals: result.statefulRemovals,
    ...(review ? { review } : {}),
  };
}

/** One entry per action and resource type, whatever the number of resources of that type. */
function uniqueTrimmed(
  result: GenerateResult,
): Array<{ action: string; resourceType: string; reason: string }> {
  const seen = new Map<string, { action: string; resourceType: string; reason: string }>();
  for (const { action, resourceType, reason } of result.trimmed) {
    seen.set(`${resourceType} ${action}`, { action, resourceType, reason });
  }
  return [...seen.values()].sort(
    (a, b) => compareText(a.resourceType, b.resourceType) || compareText(a.action, b.action),
  );
}
