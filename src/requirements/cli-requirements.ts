import type { InventoryResource, Phase, Reason, Requirement } from '../model';
import { fillTemplate, type DeploymentNames } from '../discovery/deployment-names';
import { matches } from '../catalog/predicate';
import type { CliCall, Predicate } from '../catalog/schemas';

/** What the CLI calls are chosen by: the project's resources (not the root stack) and features. */
export interface CliSubject {
  readonly entries: readonly InventoryResource[];
  readonly features: readonly string[];
}

/** The Amplify CLI's own calls (data/cli-calls.json) that apply to this project and these phases. */
export function cliRequirements(
  calls: readonly CliCall[],
  phases: readonly Phase[],
  subject: CliSubject,
  names: DeploymentNames,
): Requirement[] {
  const requirements: Requirement[] = [];
  for (const call of calls) {
    if (!matches(call.when, subject)) continue;
    const resources =
      call.resource === undefined
        ? [undefined]
        : [
            ...new Set(
              [call.resource]
                .flat()
                .flatMap((template) => perResource(template, selectedEntries(call.when, subject.entries)))
                .map((template) => fillTemplate(template, names)),
            ),
          ];
    // One reason per call, shared by its requirements.
    const reason: Reason = {
      via: 'cli',
      resource: 'project',
      summary: call.because,
      detail: `${call.because} (${call.where})`,
      source: `data/cli-calls.json#${call.id}`,
      ...evidenceOf(call),
    };
    for (const phase of phases.filter((p) => call.phases.includes(p))) {
      for (const action of call.actions) {
        for (const resource of resources) {
          requirements.push({ action, resource, phase, reason });
        }
      }
    }
  }
  return requirements;
}

/** A CLI call's evidence: the recorded real-CLI runs that made it, and why a trace cannot reach the rest. */
function evidenceOf(call: CliCall): { evidence?: string } {
  const parts = [
    ...(call.traced?.length ? [`traced in ${call.traced.join(', ')}`] : []),
    ...(call.notTraced ? [`not traced: ${call.notTraced}`] : []),
  ];
  return parts.length ? { evidence: parts.join('; ') } : {};
}

/** The resources a `when` predicate selects by its resource fields (all of them when it has none). */
function selectedEntries(
  when: Predicate | undefined,
  entries: readonly InventoryResource[],
): InventoryResource[] {
  return entries.filter(
    (entry) =>
      (!when?.categories || when.categories.includes(entry.category)) &&
      (!when?.services || when.services.includes(`${entry.category}:${entry.service}`)) &&
      (when?.imported === undefined || when.imported === entry.imported),
  );
}

/**
 * A template per selected resource for `${ResourceName}` (its backend-config name),
 * `${BucketName}` (each S3 bucket its templates name) and `${Imported:key}` (what
 * team-provider-info.json records for an imported resource: `bucketName`, `userPoolId`, ...);
 * other templates as they are.
 */
function perResource(template: string, entries: readonly InventoryResource[]): string[] {
  if (!/\$\{(ResourceName|BucketName|Imported:\w+)\}/.test(template)) return [template];
  return entries.flatMap((entry) => {
    const withName = template
      .replace(/\$\{ResourceName\}/g, entry.name)
      .replace(/\$\{Imported:(\w+)\}/g, (_, key: string) =>
        entry.importedIds &&
        Object.hasOwn(entry.importedIds, key) &&
        /^[\w.:-]+$/.test(entry.importedIds[key])
          ? entry.importedIds[key]
          : '*',
      );
    if (!withName.includes('${BucketName}')) return [withName];
    const buckets = entry.cfnResources.filter((r) => r.type === 'AWS::S3::Bucket').flatMap((r) => r.names);
    return (buckets.length > 0 ? buckets : ['*']).map((bucket) =>
      withName.replace(/\$\{BucketName\}/g, bucket),
    );
  });
}
