import path = require('node:path');
import type { InventoryResource } from '../model';
import { asRecord, pathExists } from '../discovery/read-files';
import { readBackendEntries, type BackendEntry } from './backend-entries';
import { resourceDir, type BuildScope } from './build-scope';
import { propertyPaths } from './cfn-resources';
import { DEPLOYED_FOLDER, type DeployedEntry } from './deployed-changes';
import { readResourceTemplates } from './template-files';

/** The entries of the last push (amplify/#current-cloud-backend) with their templates; none when never pushed. */
export function readDeployedEntries(rootDir: string): DeployedEntry[] {
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

/** Property paths per logical id in the templates of the last push (amplify/#current-cloud-backend). */
export function deployedPropertyPaths(
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
export function withDeployedProperties(
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
