import path = require('node:path');
import type { DeployedChange } from '../model';
import { asRecord, isRecord } from '../discovery/read-files';
import type { BackendEntry } from './backend-entries';
import type { TemplateFile } from './template-files';

/** Where the Amplify CLI keeps a copy of what the last push deployed. */
export const DEPLOYED_FOLDER = '#current-cloud-backend';

/** A backend-config entry of the last push and its deployed templates. */
export interface DeployedEntry {
  readonly entry: BackendEntry;
  readonly templates: readonly TemplateFile[];
}

/** Create-only properties of a resource type (dot paths, `*` for every array item). */
export type CreateOnlyOf = (type: string) => readonly string[];

/**
 * What the next push deletes of the last deployment: every resource of an entry that is gone
 * from the project (`amplify remove`), every resource gone from a template that is still there,
 * and every resource whose type or a create-only property value changed, which CloudFormation
 * replaces (the old copy is deleted after the new one is created). Entries whose current
 * templates are not built yet are not compared: their resources are unknown.
 */
export function deployedChanges(
  deployed: readonly DeployedEntry[],
  current: readonly BackendEntry[],
  currentTemplates: (entry: BackendEntry) => readonly TemplateFile[],
  createOnlyOf: CreateOnlyOf,
): DeployedChange[] {
  const changes: DeployedChange[] = [];
  const byKey = new Map(current.filter((e) => !e.imported).map((e) => [entryKey(e), e]));
  for (const { entry, templates } of deployed) {
    if (entry.imported) continue;
    const now = byKey.get(entryKey(entry));
    const nowTemplates = now ? currentTemplates(now) : [];
    if (now && nowTemplates.length === 0) continue;
    const nowResources = resourcesByKey(nowTemplates);
    for (const file of templates) {
      for (const [logicalId, value] of Object.entries(file.template.Resources)) {
        const before = asRecord(value);
        if (typeof before.Type !== 'string') continue;
        const after = nowResources.get(resourceKey(file.file, logicalId));
        const base = { resource: entryKey(entry), logicalId, type: before.Type, template: file.file };
        if (!after) {
          changes.push({ ...base, change: 'removed', retained: retains(before.DeletionPolicy) });
          continue;
        }
        const properties =
          after.Type !== before.Type
            ? ['Type']
            : changedProperties(before.Properties, after.Properties, createOnlyOf(before.Type));
        if (properties.length > 0)
          changes.push({
            ...base,
            change: 'replaced',
            properties,
            retained: retains(before.UpdateReplacePolicy),
          });
      }
    }
  }
  return changes;
}

const entryKey = (entry: BackendEntry): string => `${entry.category}/${entry.name}`;

/**
 * A resource's key across the deployed and the current copy of a resource folder: its template
 * path inside `amplify/<backend|#current-cloud-backend>/<category>/<name>/` (without `build/`,
 * which only one side may have) and its logical id.
 */
function resourceKey(file: string, logicalId: string): string {
  const inFolder = file.split('/').slice(4);
  return `${(inFolder[0] === 'build' ? inFolder.slice(1) : inFolder).join('/')}#${logicalId}`;
}

function resourcesByKey(templates: readonly TemplateFile[]): Map<string, Record<string, unknown>> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const file of templates)
    for (const [logicalId, value] of Object.entries(file.template.Resources))
      byKey.set(resourceKey(file.file, logicalId), asRecord(value));
  return byKey;
}

const retains = (policy: unknown): boolean => policy === 'Retain' || policy === 'RetainExceptOnCreate';

/** The create-only paths whose value differs between the two property sets. */
export function changedProperties(before: unknown, after: unknown, createOnly: readonly string[]): string[] {
  return createOnly.filter((property) => {
    const segments = property.split('.');
    return stable(valueAt(before, segments)) !== stable(valueAt(after, segments));
  });
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments;
  if (head === '*') return Array.isArray(value) ? value.map((item) => valueAt(item, rest)) : undefined;
  if (Array.isArray(value)) return /^\d+$/.test(head) ? valueAt(value[Number(head)], rest) : undefined;
  return isRecord(value) ? valueAt(value[head], rest) : undefined;
}

/** JSON with object keys sorted, so that two templates that order keys differently compare equal. */
function stable(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** The folder of an entry in the deployed copy. */
export const deployedFolder = (rootDir: string, entry: BackendEntry): string =>
  path.join(rootDir, 'amplify', DEPLOYED_FOLDER, entry.category, entry.name);
