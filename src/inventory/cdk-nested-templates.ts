/**
 * The nested templates a cloud assembly's stack deploys, found in the assembly, and the SSM
 * parameters its templates read.
 */
import fs = require('node:fs');
import path = require('node:path');
import { asRecord, asString } from '../discovery/read-files';
import { isInside } from '../discovery/safe-names';
import { warning, type Warning } from '../results';
import { readTemplateAt, type TemplateFile } from './template-files';

/** Nested stacks deeper than this are not followed (CloudFormation's own limit is 5 levels of nesting... plus margin). */
const MAX_NESTING = 10;
const STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * The templates a template's `AWS::CloudFormation::Stack` resources deploy, read from the
 * assembly: CDK names the file in the resource's `aws:asset:path` metadata and uploads it as an
 * asset whose object key ends the TemplateURL. Each nested stack's TemplateURL is rewritten to
 * the file's path (relative to the root), so the nested-stack resolver matches it by file name.
 */
export function nestedTemplates(
  parent: TemplateFile,
  rootDir: string,
  assemblyDir: string,
  byObjectKey: ReadonlyMap<string, string>,
  warnings: Warning[],
  depth: number,
): TemplateFile[] {
  if (depth > MAX_NESTING) return [];
  const found: TemplateFile[] = [];
  for (const [logicalId, value] of Object.entries(parent.template.Resources)) {
    const resource = asRecord(value);
    if (resource.Type !== STACK_TYPE) continue;
    const properties = asRecord(resource.Properties);
    const name = nestedFileName(resource, properties.TemplateURL, byObjectKey);
    const file = name ? path.resolve(assemblyDir, name) : undefined;
    if (!file || !isInside(assemblyDir, file) || !fs.existsSync(file)) {
      warnings.push(
        warning(
          'assembly-incomplete',
          `${parent.file}: the nested stack ${logicalId} deploys a template that is not in the assembly, so the policy has nothing for its resources.`,
        ),
      );
      continue;
    }
    const child = readTemplateAt(file, rootDir, warnings);
    if (!child) continue;
    properties.TemplateURL = child.file;
    found.push(child, ...nestedTemplates(child, rootDir, assemblyDir, byObjectKey, warnings, depth + 1));
  }
  return found;
}

/** The nested template's file: `aws:asset:path` metadata, else the asset whose object key ends its TemplateURL. */
function nestedFileName(
  resource: Record<string, unknown>,
  templateUrl: unknown,
  byObjectKey: ReadonlyMap<string, string>,
): string | undefined {
  const metadata = asRecord(resource.Metadata);
  if (metadata['aws:asset:property'] === 'TemplateURL') {
    const assetPath = asString(metadata['aws:asset:path']);
    if (assetPath) return assetPath;
  }
  const text = JSON.stringify(templateUrl ?? '');
  for (const [objectKey, sourcePath] of byObjectKey) if (text.includes(`/${objectKey}`)) return sourcePath;
  // A plain template's nested stack: a relative file name beside it.
  return typeof templateUrl === 'string' && !/^[a-z]+:\/\//i.test(templateUrl) ? templateUrl : undefined;
}

/** The SSM parameter names an `AWS::SSM::Parameter::Value<...>` parameter reads (its Default). */
export function ssmParametersOf(templates: readonly TemplateFile[]): string[] {
  const names = new Set<string>();
  for (const { template } of templates)
    for (const declaration of Object.values(template.Parameters ?? {})) {
      const parameter = asRecord(declaration);
      const fallback = asString(parameter.Default);
      if (
        typeof parameter.Type === 'string' &&
        parameter.Type.startsWith('AWS::SSM::Parameter::Value<') &&
        fallback
      )
        names.add(fallback);
    }
  return [...names].sort();
}
