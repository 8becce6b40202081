import path = require('node:path');
import type { InventoryResource } from '../model';
import { matches, type PredicateSubject } from '../catalog/predicate';
import type { BackendEntry } from './backend-entries';
import { hasOverride, ROOT_CATEGORY, ROOT_SERVICE, type BuildScope } from './build-scope';
import { deployedPropertyPaths, withDeployedProperties } from './deployed-resources';
import { knownResource } from './known-resource';
import { readResourceTemplates } from './template-files';
import { resourceFromTemplates } from './templated-resource';

/**
 * The root stack: its built template (amplify/backend/awscloudformation/build) and, always, the
 * known root types whose `when` the project matches (a built root template is partial).
 */
export function rootStackResource(scope: BuildScope, subject: PredicateSubject): InventoryResource {
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
