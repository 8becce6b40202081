import type { CfnResource } from '../model';
import type { GeneratedName, ResourceNames } from '../requirements/catalog';
import { asRecord, isRecord } from '../discovery/read-files';
import { evaluateCondition, own, resolvePatterns, type ResolveScope } from './intrinsics';
import type { CfnTemplate } from './parse-template';

export interface TemplateScope extends ResolveScope {
  /** Pattern for names CloudFormation generates in this stack (cut stack name + `*`). */
  readonly generatedName: string;
}

/**
 * The resources of one template, with what the policy needs to know about each: type, the
 * properties present, resolved names and, for roles, who may assume them.
 * Resources whose `Condition` is known to be false are left out.
 */
export function extractCfnResources(
  template: CfnTemplate,
  file: string,
  scope: TemplateScope,
  names: ResourceNames,
): CfnResource[] {
  const resources: CfnResource[] = [];
  for (const [logicalId, value] of Object.entries(template.Resources)) {
    const resource = asRecord(value);
    if (typeof resource.Type !== 'string') continue;
    if (typeof resource.Condition === 'string' && evaluateCondition(resource.Condition, scope) === false)
      continue;
    const properties = asRecord(resource.Properties);
    resources.push({
      logicalId,
      type: resource.Type,
      template: file,
      propertyPaths: propertyPaths(properties),
      retainedOnDelete:
        resource.DeletionPolicy === 'Retain' || resource.DeletionPolicy === 'RetainExceptOnCreate',
      names: physicalNames(resource.Type, properties, scope, names, logicalId),
      trustedServices: resource.Type === 'AWS::IAM::Role' ? trustedServices(properties, scope) : [],
    });
  }
  return resources;
}

/** Dot paths of the properties set (objects inside lists included, without index), down to four levels. */
export function propertyPaths(properties: Record<string, unknown>): string[] {
  const paths = new Set<string>();
  const visit = (value: unknown, prefix: string, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item, prefix, depth));
    } else if (isRecord(value)) {
      const keys = Object.keys(value);
      // An intrinsic function is a value, not a structure of properties.
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return;
      for (const key of keys) {
        const path = prefix ? `${prefix}.${key}` : key;
        paths.add(path);
        visit(value[key], path, depth + 1);
      }
    }
  };
  visit(properties, '', 0);
  return [...paths].sort();
}

/**
 * Name patterns of the physical resource: the template's name, else the name CloudFormation or
 * the service generates (data/cfn-resource-names.json): `<cut stack name>*`, `<LogicalId>-*`,
 * or `*` for ids assigned at creation.
 */
export function physicalNames(
  type: string,
  properties: Record<string, unknown>,
  scope: TemplateScope,
  names: ResourceNames,
  logicalId = '',
): string[] {
  const rule = own(names.types, type);
  if (!rule) return [];
  if (rule.nestedStack) return [`${scope.stackName}-*`.replace(/\*+/g, '*')];
  const declared =
    rule.nameProperty && Object.hasOwn(properties, rule.nameProperty)
      ? resolvePatterns(properties[rule.nameProperty], scope)
      : [];
  const usable = declared.filter((name) => name !== '*' && name !== '');
  const result = usable.length > 0 ? usable : [generatedName(rule.generated, scope, logicalId)];
  return rule.lowercase ? result.map((name) => name.toLowerCase()) : result;
}

function generatedName(kind: GeneratedName | undefined, scope: TemplateScope, logicalId: string): string {
  switch (kind ?? 'stack-prefix') {
    case 'stack-prefix':
      return scope.generatedName;
    case 'logical-id':
      return logicalId ? `${logicalId}-*` : '*';
    default:
      return '*';
  }
}

function trustedServices(properties: Record<string, unknown>, scope: ResolveScope): string[] {
  const services = new Set<string>();
  const statements = asRecord(properties.AssumeRolePolicyDocument).Statement;
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    const principal = asRecord(asRecord(statement).Principal);
    for (const key of ['Service', 'Federated']) {
      const values = Array.isArray(principal[key]) ? (principal[key] as unknown[]) : [principal[key]];
      for (const value of values) {
        if (value === undefined) continue;
        for (const service of resolvePatterns(value, scope))
          if (service.endsWith('.amazonaws.com')) services.add(service);
      }
    }
  }
  return [...services].sort();
}
