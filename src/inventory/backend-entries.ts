import * as path from 'node:path';
import { projectError } from '../errors';
import { asRecord, asString, isRecord, readJsonIfExists } from '../discovery/read-files';

/** One resource entry of backend-config.json (category → resource name → settings). */
export interface BackendEntry {
  readonly category: string;
  readonly name: string;
  readonly service: string;
  readonly imported: boolean;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface BackendEntries {
  readonly entries: readonly BackendEntry[];
  /** Categories with no resource (`"api": {}`). */
  readonly emptyCategories: readonly string[];
  readonly source: 'backend-config.json' | 'amplify-meta.json';
}

/** Top-level keys that are not categories. */
const NOT_CATEGORIES = new Set(['parameters', 'providers']);

/**
 * Lists every resource the project declares. backend-config.json is the source; projects from
 * before it existed (2018) have only amplify-meta.json, which has the same shape plus `providers`.
 * `folder` reads another copy of the backend (`#current-cloud-backend`: the last push).
 */
export function readBackendEntries(rootDir: string, folder = 'backend'): BackendEntries {
  const backendDir = path.join(rootDir, 'amplify', folder);
  const fromConfig = readJsonIfExists(path.join(backendDir, 'backend-config.json'), rootDir);
  const source = fromConfig !== undefined ? 'backend-config.json' : 'amplify-meta.json';
  const config = fromConfig ?? readJsonIfExists(path.join(backendDir, 'amplify-meta.json'), rootDir);
  if (config === undefined) {
    throw projectError(
      `No amplify/backend/backend-config.json in ${rootDir}.`,
      'Run the command inside an Amplify Gen 1 project (created by `amplify init` or `amplify pull`).',
    );
  }
  if (!isRecord(config)) {
    throw projectError(
      `amplify/backend/${source} is not a JSON object.`,
      'Restore the file from version control.',
    );
  }
  const entries: BackendEntry[] = [];
  const emptyCategories: string[] = [];
  for (const [category, resources] of Object.entries(config)) {
    if (NOT_CATEGORIES.has(category) || !isRecord(resources)) continue;
    if (Object.keys(resources).length === 0) emptyCategories.push(category);
    for (const [name, value] of Object.entries(resources)) {
      const settings = asRecord(value);
      entries.push({
        category,
        name,
        service: asString(settings.service) ?? '(none)',
        imported: settings.serviceType === 'imported',
        settings,
      });
    }
  }
  return { entries, emptyCategories, source };
}
