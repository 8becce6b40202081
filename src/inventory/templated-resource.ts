import type { InventoryResource } from '../model';
import { warning } from '../results';
import type { BackendEntry } from './backend-entries';
import { ROOT_CATEGORY, type BuildScope } from './build-scope';
import { extractCfnResources } from './cfn-resources';
import { own } from './intrinsics';
import { attributeResolver, scopeNestedTemplates } from './nested-stacks';
import { defaultsOf, templateScope } from './template-scope';
import type { TemplateFile } from './template-files';

/**
 * A resource from its templates: every CloudFormation resource they declare, nested stacks
 * resolved with what their parent passes them; undefined without templates.
 */
export function resourceFromTemplates(
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
