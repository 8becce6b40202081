import path = require('node:path');
import type { CfnResource, InventoryResource } from '../model';
import type { DeploymentNames } from '../discovery/deployment-names';
import type { Catalog, KnownTemplate } from '../catalog/schemas';
import type { BackendEntry } from './backend-entries';
import type { BuildScope } from './build-scope';
import { createdNamesOf, explainedNames, namesOf, type TemplateScope } from './cfn-resources';
import { own } from './intrinsics';
import { graphqlTables, knownNames, missingVariableCause, recordedInputs, stackSuffix } from './known-names';
import { knownParameters, templateScope } from './template-scope';

/**
 * A resource without a built template, from the types its service deploys
 * (data/known-templates.json), named from what the project records about it.
 */
/** What a resource without a built template records about its names (see known-names.ts). */
export interface Recorded {
  readonly values: Record<string, string>;
  /** `@model` tables of an API's schema. */
  readonly models: readonly string[];
}

const NOTHING_RECORDED: Recorded = { values: {}, models: [] };

export function knownResource(
  entry: BackendEntry,
  known: KnownTemplate | undefined,
  stackName: string,
  names: DeploymentNames,
  catalog: Catalog,
  propertiesUnknown = false,
  recorded: Recorded = NOTHING_RECORDED,
): InventoryResource {
  const scope = knownScope(entry, stackName, names, catalog, recorded);
  const owner = `${entry.category}/${entry.name}`;
  const cfnResources: CfnResource[] = (known?.types ?? []).map((known) => ({
    logicalId: `${known.type}`,
    type: known.type,
    template: 'data:known-templates.json',
    propertyPaths: propertiesUnknown ? undefined : known.properties,
    retainedOnDelete: known.deletionPolicy === 'Retain',
    ...namesOf(
      known.names
        ? knownNames(known.names, scope, recorded.models, (variable) =>
            missingVariableCause(owner, variable, catalog.resourceNames),
          )
        : explainedNames(known.type, {}, scope, catalog.resourceNames),
    ),
    ...createdNamesOf(known.type, {}, scope, catalog.resourceNames),
    trustedServices: known.trustedServices ?? [],
  }));
  return {
    category: entry.category,
    service: entry.service,
    name: entry.name,
    imported: entry.imported,
    templateFiles: [],
    typesFrom: known && known.types.length > 0 ? 'known-template' : 'none',
    cfnResources,
  };
}

/** The scope known-template names resolve in: what the project records, and the deployment names. */
export function knownScope(
  entry: BackendEntry,
  stackName: string,
  names: DeploymentNames,
  catalog: Catalog,
  recorded: Recorded,
): TemplateScope {
  const suffix = stackSuffix(names.RootStackName);
  return templateScope(
    stackName,
    {
      ...recorded.values,
      ...knownParameters(names),
      ...(suffix ? { StackSuffix: suffix } : {}),
      ResourceName: entry.name,
    },
    {},
    undefined,
    names,
    catalog,
  );
}

/** What the project records for a resource's names: its parameters, cli-inputs.json, amplify-meta.json outputs, API models. */
export function recordedFor(
  entry: BackendEntry,
  parameters: Record<string, string>,
  { context }: BuildScope,
): Recorded {
  const dir = path.join(context.rootDir, 'amplify', 'backend', entry.category, entry.name);
  return {
    values: {
      ...recordedInputs(dir, context.rootDir),
      ...parameters,
      ...own(context.deployedOutputs ?? {}, `${entry.category}/${entry.name}`),
    },
    models: entry.service === 'AppSync' ? graphqlTables(dir, context.rootDir) : [],
  };
}
