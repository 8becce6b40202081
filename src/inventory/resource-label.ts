import type { InventoryResource } from '../model';

/**
 * How requirements, explain and the guard name an inventory resource: `category/name`, or
 * `root stack`; a resource the next push deletes is marked `(removed)`.
 */
export const resourceLabel = (resource: InventoryResource): string =>
  (resource.category === 'awscloudformation' ? 'root stack' : `${resource.category}/${resource.name}`) +
  (resource.removed ? ' (removed)' : '');
