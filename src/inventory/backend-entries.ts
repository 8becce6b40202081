import path = require('node:path');
import { projectError } from '../errors';
import { isRecord, readJsonIfExists } from '../discovery/read-files';
import { isSafeName } from '../discovery/safe-names';
import { warning, type Warning } from '../results';

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
  /** Entries left out or read with a fallback, each naming the file and the reason. */
  readonly warnings: readonly Warning[];
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
  const warnings: Warning[] = [];
  const file = `amplify/backend/${source}`;
  for (const [category, resources] of Object.entries(config)) {
    if (NOT_CATEGORIES.has(category)) continue;
    if (!isSafeName(category)) {
      warnings.push(warning('input-skipped', `${file}: category ${shown(category)} skipped: ${NAME_RULE}.`));
      continue;
    }
    if (!isRecord(resources)) {
      warnings.push(
        warning(
          'input-skipped',
          `${file}: category ${category} skipped: its value is ${kindOf(resources)}, not an object of resources.`,
        ),
      );
      continue;
    }
    if (Object.keys(resources).length === 0) emptyCategories.push(category);
    for (const [name, value] of Object.entries(resources)) {
      if (!isSafeName(name)) {
        warnings.push(
          warning('input-skipped', `${file}: resource ${category}/${shown(name)} skipped: ${NAME_RULE}.`),
        );
        continue;
      }
      const settings = isRecord(value) ? value : {};
      if (!isRecord(value)) {
        warnings.push(
          warning(
            'input-defaulted',
            `${file}: ${category}/${name} is ${kindOf(value)}, not an object; read as a resource without settings.`,
          ),
        );
      }
      const service = settings.service;
      if (service !== undefined && (typeof service !== 'string' || service.length === 0)) {
        warnings.push(
          warning(
            'input-defaulted',
            `${file}: ${category}/${name} has a service that is ${kindOf(service)}, not a service name; read as (none).`,
          ),
        );
      }
      entries.push({
        category,
        name,
        service: typeof service === 'string' && service.length > 0 ? service : '(none)',
        imported: settings.serviceType === 'imported',
        settings,
      });
    }
  }
  return { entries, emptyCategories, source, warnings };
}

/** Why a category or resource name is refused: it names a folder under amplify/backend. */
const NAME_RULE =
  'it is not a name Amplify gives a category or resource (letters, digits, - and _), so no folder of amplify/backend/ is read for it';

const shown = (name: string): string => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}...` : name);

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return `a ${typeof value}`;
}
