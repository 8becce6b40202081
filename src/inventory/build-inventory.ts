import path = require('node:path');
import type { DeployedChange, Inventory, InventoryResource, ProjectContext } from '../model';
import { deploymentNames } from '../discovery/deployment-names';
import { asRecord, readJsonIfExists } from '../discovery/read-files';
import type { Catalog } from '../catalog/schemas';
import { warning, type Warning } from '../results';
import { readBackendEntries, type BackendEntry } from './backend-entries';
import { hasOverride, type BuildScope } from './build-scope';
import { rootStackResource } from './root-stack';
import { DEPLOYED_FOLDER, deployedChanges, type DeployedEntry } from './deployed-changes';
import { deployedPropertyPaths, readDeployedEntries, withDeployedProperties } from './deployed-resources';
import { detectFeatures } from './features';
import { knownResource, knownScope, recordedFor } from './known-resource';
import { knownValues, missingVariableCause } from './known-names';
import { nestedStackParameters, stringValues } from './template-scope';
import { readCategoryLevelTemplates, readResourceTemplates, type TemplateFile } from './template-files';
import { resourceFromTemplates } from './templated-resource';

/** A resource's parameters as a folder (the backend, or the last push's copy) records them. */
type ParametersOf = (folder: string, entry: BackendEntry) => Record<string, string>;

/**
 * One record per deployed resource: the root stack, every backend-config entry and every
 * category-level template, each with the CloudFormation resources it deploys, from the
 * project's templates or, where none is built yet, from the service's known template; then
 * the copies of the last push that the next one deletes.
 */
export function buildInventory(context: ProjectContext, catalog: Catalog): Inventory {
  const { rootDir } = context;
  const backend = readBackendEntries(rootDir);
  const warnings: Warning[] = [...backend.warnings];
  const scope: BuildScope = { context, names: deploymentNames(context), catalog, warnings };
  const templatesOf = templateReader(scope);
  const features = detectFeatures(context, backend.entries, templatesOf);
  const parametersOf = parameterReader(scope);
  const backendDir = path.join(rootDir, 'amplify', 'backend');
  const resources: InventoryResource[] = [
    rootStackResource(scope, { entries: backend.entries, features }),
    ...backend.entries.map((entry) =>
      backendResource(entry, templatesOf(entry), parametersOf(backendDir, entry), scope),
    ),
    ...categoryLevelResources(backend.entries, scope),
  ];
  const deployed = readDeployedEntries(rootDir);
  const changes = deployedChanges(
    deployed,
    backend.entries,
    templatesOf,
    (type) => catalog.resourceTypes.get(type)?.createOnlyProperties ?? [],
  );
  resources.push(...removedResources(deployed, changes, parametersOf, scope));
  return { resources, features, warnings, changes };
}

/** Each entry's templates, read once (features and resources both need them). */
function templateReader({ context, warnings }: BuildScope): (entry: BackendEntry) => TemplateFile[] {
  const cache = new Map<BackendEntry, TemplateFile[]>();
  const backendDir = path.join(context.rootDir, 'amplify', 'backend');
  return (entry) => {
    let templates = cache.get(entry);
    if (!templates) {
      templates = entry.imported
        ? []
        : readResourceTemplates(path.join(backendDir, entry.category, entry.name), context.rootDir, warnings);
      cache.set(entry, templates);
    }
    return templates;
  };
}

/** What the root stack passes, then parameters.json (source and built), then the env's team-provider-info.json values. */
function parameterReader({ context, names }: BuildScope): ParametersOf {
  const { rootDir } = context;
  const teamParameters = asRecord(
    asRecord(
      asRecord(readJsonIfExists(path.join(rootDir, 'amplify', 'team-provider-info.json'), rootDir))[
        context.envName ?? ''
      ],
    ).categories,
  );
  return (folder, entry) => ({
    ...nestedStackParameters(names),
    ...stringValues(
      readJsonIfExists(path.join(folder, entry.category, entry.name, 'parameters.json'), rootDir),
    ),
    ...stringValues(
      readJsonIfExists(path.join(folder, entry.category, entry.name, 'build', 'parameters.json'), rootDir),
    ),
    ...stringValues(asRecord(teamParameters[entry.category])[entry.name]),
  });
}

/**
 * A backend-config entry: from its templates when built (or when its service has no known
 * template), else from its service's known template plus its own additional templates.
 */
function backendResource(
  entry: BackendEntry,
  templates: readonly TemplateFile[],
  parameters: Record<string, string>,
  scope: BuildScope,
): InventoryResource {
  const { names, catalog, warnings } = scope;
  const stackName = `${names.RootStackName}-${entry.category}${entry.name}-*`;
  const known = entry.imported ? undefined : catalog.knownTemplates[`${entry.category}:${entry.service}`];
  const built = templates.some((t) => t.file.includes(`/${entry.category}/${entry.name}/build/`));
  const recorded = recordedFor(entry, parameters, scope);
  // Without a build, the additions (stacks/) get what the service's root template would pass them.
  const additions =
    !built && known?.additionParameters
      ? knownValues(
          known.additionParameters,
          knownScope(entry, stackName, names, catalog, recorded),
          (variable) =>
            missingVariableCause(`${entry.category}/${entry.name}`, variable, catalog.resourceNames),
        )
      : {};
  const fromTemplates = resourceFromTemplates(
    entry,
    templates,
    stackName,
    { ...parameters, ...additions },
    scope,
  );
  const deployed = deployedPropertyPaths(entry, scope);
  if (fromTemplates && (built || !known?.builtTemplates))
    return withDeployedProperties(fromTemplates, deployed);
  // An override.ts can set any property at push time: the known template's properties then say nothing.
  const fromKnown = knownResource(
    entry,
    known,
    stackName,
    names,
    catalog,
    hasOverride(entry, scope),
    recorded,
  );
  // Not built yet: the known types, plus what the project's own additional templates declare.
  const resource = withDeployedProperties(
    fromTemplates
      ? {
          ...fromKnown,
          templateFiles: fromTemplates.templateFiles,
          cfnResources: [...fromKnown.cfnResources, ...fromTemplates.cfnResources],
        }
      : fromKnown,
    deployed,
  );
  if (!entry.imported && !known)
    warnings.push(
      warning(
        'no-template',
        `${entry.category}/${entry.name} (service ${entry.service}): no CloudFormation template in amplify/backend/${entry.category}/${entry.name} ` +
          'and no known template for this service, so the policy has nothing for its resources.',
      ),
    );
  return entry.imported ? { ...resource, importedIds: parameters } : resource;
}

/** Templates directly in a category folder (`api/APIGatewayAuthStack.json`): a resource each. */
function categoryLevelResources(entries: readonly BackendEntry[], scope: BuildScope): InventoryResource[] {
  const { context, names, warnings } = scope;
  const resources: InventoryResource[] = [];
  for (const category of new Set(entries.map((entry) => entry.category))) {
    const folder = path.join(context.rootDir, 'amplify', 'backend', category);
    for (const template of readCategoryLevelTemplates(folder, context.rootDir, warnings)) {
      const name = path.basename(template.file).replace(/\.[^.]+$/, '');
      const entry: BackendEntry = { category, name, service: '(stack)', imported: false, settings: {} };
      const stackName = `${names.RootStackName}-${name}-*`;
      const resource = resourceFromTemplates(
        entry,
        [template],
        stackName,
        nestedStackParameters(names),
        scope,
      );
      if (resource) resources.push(resource);
    }
  }
  return resources;
}

/** The copies the next push deletes (removed or replaced), with the names they were deployed under. */
function removedResources(
  deployed: readonly DeployedEntry[],
  changes: readonly DeployedChange[],
  parametersOf: ParametersOf,
  scope: BuildScope,
): InventoryResource[] {
  const deployedDir = path.join(scope.context.rootDir, 'amplify', DEPLOYED_FOLDER);
  const resources: InventoryResource[] = [];
  for (const { entry, templates } of deployed) {
    const gone = new Set(
      changes
        .filter((c) => c.resource === `${entry.category}/${entry.name}`)
        .map((c) => `${c.template}#${c.logicalId}`),
    );
    const kept = templates.flatMap(({ file, template }) => {
      const picked = Object.entries(template.Resources).filter(([id]) => gone.has(`${file}#${id}`));
      return picked.length > 0
        ? [{ file, template: { ...template, Resources: Object.fromEntries(picked) } }]
        : [];
    });
    const stackName = `${scope.names.RootStackName}-${entry.category}${entry.name}-*`;
    const resource = resourceFromTemplates(entry, kept, stackName, parametersOf(deployedDir, entry), scope);
    if (resource) resources.push({ ...resource, removed: true });
  }
  return resources;
}
