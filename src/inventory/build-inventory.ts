import * as path from 'node:path';
import type { CfnResource, Inventory, InventoryResource, ProjectContext } from '../model';
import { deploymentNames, type DeploymentNames } from '../discovery/deployment-names';
import { asRecord, pathExists, readJsonIfExists } from '../discovery/read-files';
import type { Catalog, KnownTemplate } from '../catalog/catalog';
import { readBackendEntries, type BackendEntry } from './backend-entries';
import { DEPLOYED_FOLDER, deployedChanges, type DeployedEntry } from './deployed-changes';
import {
  createdNamesOf,
  explainedNames,
  extractCfnResources,
  namesOf,
  propertyPaths,
  type TemplateScope,
} from './cfn-resources';
import { detectFeatures } from './features';
import { own, unknownBecause } from './intrinsics';
import {
  graphqlTables,
  knownNames,
  knownValues,
  missingVariableCause,
  recordedInputs,
  stackSuffix,
} from './known-names';
import { attributeResolver, scopeNestedTemplates } from './nested-stacks';
import { matches, type PredicateSubject } from '../catalog/predicate';
import { readCategoryLevelTemplates, readResourceTemplates, type TemplateFile } from './template-files';
import { warning, type Warning } from '../results';

export const ROOT_CATEGORY = 'awscloudformation';
export const ROOT_SERVICE = 'RootStack';

/** What every step of the build reads, and where it reports. */
interface BuildScope {
  readonly context: ProjectContext;
  readonly names: DeploymentNames;
  readonly catalog: Catalog;
  readonly warnings: Warning[];
}

/**
 * One record per deployed resource: the root stack, every backend-config entry and every
 * category-level template, each with the CloudFormation resources it deploys, from the
 * project's templates or, where none is built yet, from the service's known template.
 */
export function buildInventory(context: ProjectContext, catalog: Catalog): Inventory {
  const { rootDir } = context;
  const names = deploymentNames(context);
  const backend = readBackendEntries(rootDir);
  const backendDir = path.join(rootDir, 'amplify', 'backend');
  const warnings: Warning[] = [...backend.warnings];
  const scope: BuildScope = { context, names, catalog, warnings };

  const templateCache = new Map<BackendEntry, TemplateFile[]>();
  const templatesOf = (entry: BackendEntry): TemplateFile[] => {
    let templates = templateCache.get(entry);
    if (!templates) {
      templates = entry.imported
        ? []
        : readResourceTemplates(path.join(backendDir, entry.category, entry.name), rootDir, warnings);
      templateCache.set(entry, templates);
    }
    return templates;
  };
  const features = detectFeatures(context, backend.entries, templatesOf);
  const subject: PredicateSubject = { entries: backend.entries, features };
  const teamParameters = asRecord(
    asRecord(
      asRecord(readJsonIfExists(path.join(rootDir, 'amplify', 'team-provider-info.json'), rootDir))[
        context.envName ?? ''
      ],
    ).categories,
  );

  const parametersOf = (folder: string, entry: BackendEntry): Record<string, string> => ({
    ...nestedStackParameters(names),
    ...stringValues(
      readJsonIfExists(path.join(folder, entry.category, entry.name, 'parameters.json'), rootDir),
    ),
    ...stringValues(
      readJsonIfExists(path.join(folder, entry.category, entry.name, 'build', 'parameters.json'), rootDir),
    ),
    ...stringValues(asRecord(teamParameters[entry.category])[entry.name]),
  });

  const resources: InventoryResource[] = [rootStackResource(scope, subject)];
  for (const entry of backend.entries) {
    const templates = templatesOf(entry);
    const parameters = parametersOf(backendDir, entry);
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
    if (fromTemplates && (built || !known?.builtTemplates)) {
      resources.push(withDeployedProperties(fromTemplates, deployed));
      continue;
    }
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
    resources.push(entry.imported ? { ...resource, importedIds: parameters } : resource);
    if (!entry.imported && !known) {
      warnings.push(
        warning(
          'no-template',
          `${entry.category}/${entry.name} (service ${entry.service}): no CloudFormation template in amplify/backend/${entry.category}/${entry.name} ` +
            'and no known template for this service, so the policy has nothing for its resources.',
        ),
      );
    }
  }
  for (const category of new Set(backend.entries.map((entry) => entry.category))) {
    for (const template of readCategoryLevelTemplates(path.join(backendDir, category), rootDir, warnings)) {
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
  const deployed = readDeployedEntries(rootDir);
  const changes = deployedChanges(
    deployed,
    backend.entries,
    templatesOf,
    (type) => catalog.resourceTypes.get(type)?.createOnlyProperties ?? [],
  );
  // The copies the next push deletes, with the names they were deployed under.
  const deployedDir = path.join(rootDir, 'amplify', DEPLOYED_FOLDER);
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
    const stackName = `${names.RootStackName}-${entry.category}${entry.name}-*`;
    const resource = resourceFromTemplates(entry, kept, stackName, parametersOf(deployedDir, entry), scope);
    if (resource) resources.push({ ...resource, removed: true });
  }
  return { resources, features, warnings, changes };
}

/** The entries of the last push (amplify/#current-cloud-backend) with their templates; none when never pushed. */
function readDeployedEntries(rootDir: string): DeployedEntry[] {
  const folder = path.join(rootDir, 'amplify', DEPLOYED_FOLDER);
  const hasConfig = ['backend-config.json', 'amplify-meta.json'].some((file) =>
    pathExists(path.join(folder, file)),
  );
  if (!hasConfig) return [];
  return readBackendEntries(rootDir, DEPLOYED_FOLDER).entries.map((entry) => ({
    entry,
    templates: entry.imported
      ? []
      : readResourceTemplates(path.join(folder, entry.category, entry.name), rootDir),
  }));
}

function rootStackResource(scope: BuildScope, subject: PredicateSubject): InventoryResource {
  const { context, names, catalog } = scope;
  const entry: BackendEntry = {
    category: ROOT_CATEGORY,
    name: names.RootStackName,
    service: ROOT_SERVICE,
    imported: false,
    settings: {},
  };
  const templates = readResourceTemplates(
    path.join(context.rootDir, 'amplify', 'backend', ROOT_CATEGORY),
    context.rootDir,
    scope.warnings,
  );
  const rootParameters = {
    DeploymentBucketName: names.DeploymentBucket,
    AuthRoleName: names.AuthRoleName,
    UnauthRoleName: names.UnauthRoleName,
  };
  const fromTemplates = resourceFromTemplates(entry, templates, names.RootStackName, rootParameters, scope);
  // A built root template is partial: push adds a nested stack per resource and, with an
  // identity pool, the role-update function. So the known root types always count.
  const parts = Object.entries(catalog.knownTemplates)
    .filter(
      ([key, known]) => key.startsWith(`${ROOT_CATEGORY}:${ROOT_SERVICE}`) && matches(known.when, subject),
    )
    .map(([, known]) =>
      knownResource(entry, known, names.RootStackName, names, catalog, hasOverride(entry, scope)),
    );
  return withDeployedProperties(
    {
      ...(fromTemplates ?? parts[0]),
      cfnResources: [...(fromTemplates?.cfnResources ?? []), ...parts.flatMap((part) => part.cfnResources)],
    },
    deployedPropertyPaths(entry, scope),
  );
}

function resourceFromTemplates(
  entry: BackendEntry,
  templates: readonly TemplateFile[],
  stackName: string,
  parameters: Record<string, string>,
  { context, names, catalog, warnings }: BuildScope,
): InventoryResource | undefined {
  if (templates.length === 0) return undefined;
  warnings.push(...templates.flatMap((t) => (t.warning ? [t.warning] : [])));
  const deployed = own(context.deployedOutputs ?? {}, `${entry.category}/${entry.name}`);
  // Nested stacks get what their parent passes them, resolved in the parent's scope.
  const { scoped, missing } = scopeNestedTemplates(templates, ({ template }, passed, nestedName) =>
    templateScope(
      nestedName ?? stackName,
      { ...defaultsOf(template.Parameters), ...parameters, ...passed },
      template.Conditions,
      context,
      names,
      catalog,
      attributeResolver(template, catalog.resourceNames, deployed),
    ),
  );
  // The root stack's nested stacks are the project's resources, read from their own folders.
  if (entry.category !== ROOT_CATEGORY)
    for (const { parent, stack } of missing)
      warnings.push(
        warning(
          'no-template',
          `${entry.category}/${entry.name}: the nested stack ${stack.logicalId} in ${parent} deploys ${stack.url}, which is not among the resource's templates, so the policy has nothing for that stack's resources.`,
        ),
      );
  const cfnResources = scoped.flatMap(({ template: { file, template }, scope }) =>
    extractCfnResources(template, file, scope, catalog.resourceNames),
  );
  return {
    category: entry.category,
    service: entry.service,
    name: entry.name,
    imported: entry.imported,
    templateFiles: templates.map((t) => t.file),
    typesFrom: 'templates',
    cfnResources,
  };
}

/** What a resource without a built template records about its names (see known-names.ts). */
interface Recorded {
  readonly values: Record<string, string>;
  /** `@model` tables of an API's schema. */
  readonly models: readonly string[];
}

const NOTHING_RECORDED: Recorded = { values: {}, models: [] };

function knownResource(
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
function knownScope(
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

function templateScope(
  stackName: string,
  parameters: Record<string, string>,
  conditions: Record<string, unknown> | undefined,
  context: ProjectContext | undefined,
  names: DeploymentNames,
  catalog: Catalog,
  attribute?: TemplateScope['attribute'],
): TemplateScope {
  const prefixLength = catalog.resourceNames.generatedNames.stackNamePrefixLength;
  return {
    ...(attribute ? { attribute } : {}),
    parameters,
    conditions: conditions ?? {},
    region: context?.region ?? (names.Region === '*' ? undefined : names.Region),
    accountId: names.Account === '*' ? undefined : names.Account,
    partition: names.Partition,
    stackName,
    generatedName: generatedNamePattern(stackName, prefixLength),
  };
}

/** Property paths per logical id in the templates of the last push (amplify/#current-cloud-backend). */
function deployedPropertyPaths(
  entry: BackendEntry,
  { context, warnings }: BuildScope,
): Map<string, readonly string[]> {
  const dir = path.join(context.rootDir, 'amplify', '#current-cloud-backend', resourceDir(entry));
  const paths = new Map<string, readonly string[]>();
  for (const { template } of entry.imported ? [] : readResourceTemplates(dir, context.rootDir, warnings)) {
    for (const [logicalId, value] of Object.entries(template.Resources)) {
      paths.set(logicalId, propertyPaths(asRecord(asRecord(value).Properties)));
    }
  }
  return paths;
}

/**
 * Adds the properties the deployed version of each resource sets: an update that removes a
 * property calls the handler action that unsets it, so trimming must see both versions.
 */
function withDeployedProperties(
  resource: InventoryResource,
  deployed: Map<string, readonly string[]>,
): InventoryResource {
  if (deployed.size === 0) return resource;
  return {
    ...resource,
    cfnResources: resource.cfnResources.map((cfn) => {
      const before = deployed.get(cfn.logicalId);
      if (!before || !cfn.propertyPaths) return cfn;
      return { ...cfn, propertyPaths: [...new Set([...cfn.propertyPaths, ...before])].sort() };
    }),
  };
}

/** What the project records for a resource's names: its parameters, cli-inputs.json, amplify-meta.json outputs, API models. */
function recordedFor(
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

/** An override.ts (amplify override) next to the resource, or beside the root stack. */
function hasOverride(entry: BackendEntry, { context }: BuildScope): boolean {
  return pathExists(path.join(context.rootDir, 'amplify', 'backend', resourceDir(entry), 'override.ts'));
}

/** A resource's folder under amplify/backend (the root stack's is awscloudformation). */
const resourceDir = (entry: BackendEntry): string =>
  entry.category === ROOT_CATEGORY ? ROOT_CATEGORY : path.join(entry.category, entry.name);

/**
 * CloudFormation cuts the stack name to `prefixLength` characters in generated names. A `*`
 * in the pattern stands for an unknown number of characters, so the cut stops at the first one.
 */
export function generatedNamePattern(stackName: string, prefixLength: number): string {
  const wildcard = stackName.indexOf('*');
  const cut = wildcard >= 0 && wildcard < prefixLength ? wildcard : prefixLength;
  return `${stackName.slice(0, cut)}*`;
}

/** Parameters the root stack passes to every nested stack (provider push-resources.ts). */
function nestedStackParameters(names: DeploymentNames): Record<string, string> {
  const values: Record<string, string> = {
    deploymentBucketName: names.DeploymentBucket,
    authRoleName: names.AuthRoleName,
    unauthRoleName: names.UnauthRoleName,
  };
  // No env: * (never the templates' NONE default, which would pick the names of no real env).
  values.env = names.Env !== '*' ? names.Env : unknownBecause('no env is checked out or named (--env)');
  return values;
}

function knownParameters(names: DeploymentNames): Record<string, string> {
  return {
    AppId: names.AppId,
    Env: names.Env,
    RootStackName: names.RootStackName,
    DeploymentBucket: names.DeploymentBucket,
    AuthRoleName: names.AuthRoleName,
    UnauthRoleName: names.UnauthRoleName,
  };
}

function defaultsOf(parameters: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(parameters ?? {})) {
    const fallback = asRecord(declaration).Default;
    if (typeof fallback === 'string' || typeof fallback === 'number') values[name] = String(fallback);
  }
  return values;
}

function stringValues(value: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, v] of Object.entries(asRecord(value))) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[key] = String(v);
  }
  return values;
}
