import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnResource, Inventory, InventoryResource, ProjectContext } from '../model';
import { deploymentNames, type DeploymentNames } from '../discovery/deployment-names';
import { asRecord, readJsonIfExists } from '../discovery/read-files';
import type { Catalog, KnownTemplate } from '../requirements/catalog';
import { readBackendEntries, type BackendEntry } from './backend-entries';
import { extractCfnResources, physicalNames, propertyPaths, type TemplateScope } from './cfn-resources';
import { detectFeatures } from './features';
import { resolvePatterns } from './intrinsics';
import { matches, type PredicateSubject } from './predicate';
import { readCategoryLevelTemplates, readResourceTemplates, type TemplateFile } from './template-files';

export const ROOT_CATEGORY = 'awscloudformation';
export const ROOT_SERVICE = 'RootStack';

/** What every step of the build reads, and where it reports. */
interface BuildScope {
  readonly context: ProjectContext;
  readonly names: DeploymentNames;
  readonly catalog: Catalog;
  readonly warnings: string[];
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
  const warnings: string[] = [...backend.warnings];
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

  const resources: InventoryResource[] = [rootStackResource(scope, subject)];
  for (const entry of backend.entries) {
    const templates = templatesOf(entry);
    const parameters = {
      ...nestedStackParameters(names),
      ...stringValues(
        readJsonIfExists(path.join(backendDir, entry.category, entry.name, 'parameters.json'), rootDir),
      ),
      ...stringValues(
        readJsonIfExists(
          path.join(backendDir, entry.category, entry.name, 'build', 'parameters.json'),
          rootDir,
        ),
      ),
      ...stringValues(asRecord(teamParameters[entry.category])[entry.name]),
    };
    const stackName = `${names.RootStackName}-${entry.category}${entry.name}-*`;
    const fromTemplates = resourceFromTemplates(entry, templates, stackName, parameters, scope);
    const known = entry.imported ? undefined : catalog.knownTemplates[`${entry.category}:${entry.service}`];
    const built = templates.some((t) => t.file.includes(`/${entry.category}/${entry.name}/build/`));
    const deployed = deployedPropertyPaths(entry, scope);
    if (fromTemplates && (built || !known?.builtTemplates)) {
      resources.push(withDeployedProperties(fromTemplates, deployed));
      continue;
    }
    // An override.ts can set any property at push time: the known template's properties then say nothing.
    const fromKnown = knownResource(entry, known, stackName, names, catalog, hasOverride(entry, scope));
    // Not built yet: the known types, plus what the project's own additional templates declare.
    resources.push(
      withDeployedProperties(
        fromTemplates
          ? {
              ...fromKnown,
              templateFiles: fromTemplates.templateFiles,
              cfnResources: [...fromKnown.cfnResources, ...fromTemplates.cfnResources],
            }
          : fromKnown,
        deployed,
      ),
    );
    if (!entry.imported && !known) {
      warnings.push(
        `${entry.category}/${entry.name} (service ${entry.service}): no CloudFormation template in amplify/backend/${entry.category}/${entry.name} ` +
          'and no known template for this service, so the policy has nothing for its resources. Run `amplify build` and generate again.',
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
  return { resources, features, warnings };
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
  const cfnResources = templates.flatMap(({ file, template }) => {
    const scope = templateScope(
      stackName,
      { ...defaultsOf(template.Parameters), ...parameters },
      template.Conditions,
      context,
      names,
      catalog,
    );
    return extractCfnResources(template, file, scope, catalog.resourceNames);
  });
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

function knownResource(
  entry: BackendEntry,
  known: KnownTemplate | undefined,
  stackName: string,
  names: DeploymentNames,
  catalog: Catalog,
  propertiesUnknown = false,
): InventoryResource {
  const scope = templateScope(
    stackName,
    { ...knownParameters(names), ResourceName: entry.name },
    {},
    undefined,
    names,
    catalog,
  );
  const cfnResources: CfnResource[] = (known?.types ?? []).map((known) => ({
    logicalId: `${known.type}`,
    type: known.type,
    template: 'data:known-templates.json',
    propertyPaths: propertiesUnknown ? undefined : known.properties,
    retainedOnDelete: known.deletionPolicy === 'Retain',
    names: known.names
      ? known.names.flatMap((pattern) => resolvePatterns({ 'Fn::Sub': pattern }, scope))
      : physicalNames(known.type, {}, scope, catalog.resourceNames),
    referencedArns: [],
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

function templateScope(
  stackName: string,
  parameters: Record<string, string>,
  conditions: Record<string, unknown> | undefined,
  context: ProjectContext | undefined,
  names: DeploymentNames,
  catalog: Catalog,
): TemplateScope {
  const prefixLength = catalog.resourceNames.generatedNames.stackNamePrefixLength;
  return {
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

/** An override.ts (amplify override) next to the resource, or beside the root stack. */
function hasOverride(entry: BackendEntry, { context }: BuildScope): boolean {
  return fs.existsSync(path.join(context.rootDir, 'amplify', 'backend', resourceDir(entry), 'override.ts'));
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
  if (names.Env !== '*') values.env = names.Env;
  return values;
}

function knownParameters(names: DeploymentNames): Record<string, string> {
  return {
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
