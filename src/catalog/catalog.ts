import fs = require('node:fs');
import path = require('node:path');
import { faultError } from '../errors';
import type {
  ActionCorrection,
  ArnSuffix,
  Catalog,
  CliCall,
  ConditionRules,
  EscalationRules,
  HandlerAddition,
  HandlerPermissions,
  KnownTemplate,
  ResourceNames,
  ResourceTypeCatalog,
  ResourceTypeEntry,
  ServiceLinkedRole,
  StatefulTypes,
  TrimRule,
} from './schemas';

/**
 * Loads the permission knowledge in data/ (each file carries its own provenance).
 * Files are read once, on first use.
 */
export const DATA_DIR = findDataDir(__dirname);

function findDataDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data', 'cfn-handler-permissions.curated.json');
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    // The package ships data/ beside lib/: without it the installation itself is broken.
    if (path.dirname(dir) === dir) throw faultError(`data/ folder not found above ${start}`);
  }
}

const readData = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')) as T;

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const resourceTypes = resourceTypeCatalog(path.join(DATA_DIR, HANDLERS_DIR));
  let allHandlers: HandlerPermissions | undefined;
  const actionCorrections = dictionary(
    readData<{ corrections: Record<string, ActionCorrection> }>('action-corrections.json').corrections,
  );
  let wildcards: Readonly<Record<string, readonly string[]>> | undefined;
  cached = {
    cliCalls: readData<{ calls: CliCall[] }>('cli-calls.json').calls,
    resourceTypes,
    get handlerPermissions(): HandlerPermissions {
      allHandlers ??= Object.fromEntries(
        [...resourceTypes.all()].flatMap(([type, entry]) => (entry.handlers ? [[type, entry.handlers]] : [])),
      );
      return allHandlers;
    },
    handlerAdditions: groupByType(readData<{ additions: HandlerAddition[] }>(ADDITIONS_FILE).additions),
    statefulTypes: readData<StatefulTypes>('stateful-types.json'),
    knownTemplates: readData<{ services: Record<string, KnownTemplate> }>('known-templates.json').services,
    resourceNames: namesByType(readData<ResourceNames>('cfn-resource-names.json')),
    actionCorrections,
    correction(name: string): ActionCorrection | undefined {
      if (Object.hasOwn(actionCorrections, name)) return actionCorrections[name];
      if (!name.includes('*')) return undefined;
      wildcards ??= readData<{ wildcards: Record<string, string[]> }>(WILDCARDS_FILE).wildcards;
      const actions = wildcards[name] ?? [];
      return {
        actions,
        note: `a wildcard, granted as the ${actions.length} IAM action(s) it matches (data/${WILDCARDS_FILE})`,
      };
    },
    conditionRules: readData<ConditionRules>('condition-rules.json'),
    trimRules: groupByType(readData<{ rules: TrimRule[] }>('handler-trimming.json').rules),
    serviceLinkedRoles: groupByType(
      readData<{ roles: ServiceLinkedRole[] }>(SERVICE_LINKED_ROLES_FILE).roles,
    ),
    globalServices: readData<{ services: string[] }>('global-services.json').services,
    escalationRules: readData<EscalationRules>('escalation-rules.json'),
  };
  return cached;
}

/**
 * A map looked up by names a template writes (resource types): without a prototype, so a type
 * such as `constructor` or `__proto__` finds nothing instead of Object's members.
 */
const dictionary = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.assign(Object.create(null) as Record<string, T>, record);

const namesByType = (names: ResourceNames): ResourceNames => ({
  ...names,
  types: dictionary(names.types),
  serviceCreated: { types: dictionary(names.serviceCreated?.types ?? {}) },
});

/** Every IAM resource type (`service:key`) the name data puts names in: the IAM reference loads their ARN formats. */
export const nameArnTypes = (names: ResourceNames): string[] => [
  ...new Set([
    ...Object.values(names.types).map((rule) => rule.arnType),
    ...Object.values(names.serviceCreated?.types ?? {}).flatMap((list) =>
      list.map((created) => created.arnType),
    ),
  ]),
];

/** The ARN suffixes of the name rules, by IAM resource type (what loadIamReference corrects formats with). */
export const arnSuffixes = (names: ResourceNames): Array<ArnSuffix & { readonly arnType: string }> =>
  Object.values(names.types).flatMap((rule) =>
    rule.arnSuffix ? [{ ...rule.arnSuffix, arnType: rule.arnType }] : [],
  );

/** The ARN types whose names the given resource types carry (their own, and what their service creates). */
export function nameArnTypesOf(names: ResourceNames, types: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const type of types) {
    const rule = Object.hasOwn(names.types, type) ? names.types[type] : undefined;
    if (rule) found.add(rule.arnType);
    const created = names.serviceCreated?.types;
    if (created && Object.hasOwn(created, type)) for (const c of created[type]) found.add(c.arnType);
  }
  return [...found];
}

function groupByType<T extends { readonly type: string }>(rules: readonly T[]): Record<string, T[]> {
  const byType: Record<string, T[]> = dictionary({});
  for (const rule of rules) (byType[rule.type] ??= []).push(rule);
  return byType;
}

/** The folder of per-service handler files (written by scripts/extract-cfn-handlers.ts). */
export const HANDLERS_DIR = 'cfn-handler-permissions';
export const ADDITIONS_FILE = 'cfn-handler-additions.json';
export const WILDCARDS_FILE = 'action-corrections.wildcards.json';
export const SERVICE_LINKED_ROLES_FILE = 'service-linked-roles.json';

/** `AWS::CloudFront::Function` → `aws-cloudfront.json`, the service file that holds the type. */
export const serviceFileName = (type: string): string =>
  `${type.split('::').slice(0, 2).join('-').toLowerCase()}.json`;

/**
 * Handler data read one service file at a time: a project reads only the files of the
 * services it deploys (a few of the ~290), so start-up does not grow with the registry.
 */
export function resourceTypeCatalog(dir: string): ResourceTypeCatalog {
  const files = new Map<string, Readonly<Record<string, ResourceTypeEntry>>>();
  const load = (file: string): Readonly<Record<string, ResourceTypeEntry>> => {
    let types = files.get(file);
    if (!types) {
      types = readServiceFile(path.join(dir, file));
      files.set(file, types);
    }
    return types;
  };
  return {
    get: (type) => (type.includes('::') ? load(serviceFileName(type))[type] : undefined),
    all: () =>
      new Map(
        fs
          .readdirSync(dir)
          .filter((name) => name.endsWith('.json'))
          .sort()
          .flatMap((name) => Object.entries(load(name))),
      ),
  };
}

function readServiceFile(file: string): Readonly<Record<string, ResourceTypeEntry>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return (JSON.parse(text) as { types: Record<string, ResourceTypeEntry> }).types;
}
