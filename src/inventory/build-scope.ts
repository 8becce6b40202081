import path = require('node:path');
import type { ProjectContext } from '../model';
import type { DeploymentNames } from '../discovery/deployment-names';
import { pathExists } from '../discovery/read-files';
import type { Catalog } from '../catalog/schemas';
import type { Warning } from '../results';
import type { BackendEntry } from './backend-entries';

/** The root stack's category and service, as backend entries and labels name it. */
export const ROOT_CATEGORY = 'awscloudformation';
export const ROOT_SERVICE = 'RootStack';

/** What every step of the build reads, and where it reports. */
export interface BuildScope {
  readonly context: ProjectContext;
  readonly names: DeploymentNames;
  readonly catalog: Catalog;
  readonly warnings: Warning[];
}

/** An override.ts (amplify override) next to the resource, or beside the root stack. */
export function hasOverride(entry: BackendEntry, { context }: BuildScope): boolean {
  return pathExists(path.join(context.rootDir, 'amplify', 'backend', resourceDir(entry), 'override.ts'));
}

/** A resource's folder under amplify/backend (the root stack's is awscloudformation). */
export const resourceDir = (entry: BackendEntry): string =>
  entry.category === ROOT_CATEGORY ? ROOT_CATEGORY : path.join(entry.category, entry.name);
