import type { CfnResource } from '../model';
import type { NameRule, ResourceNames } from '../catalog/schemas';
import { asRecord, isRecord } from '../discovery/read-files';
import { evaluateCondition, own, resolveExplained, resolvePatterns, type ResolveScope } from './intrinsics';
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
      ...namesOf(explainedNames(resource.Type, properties, scope, names, logicalId)),
      ...createdNamesOf(resource.Type, properties, scope, names),
      trustedServices: resource.Type === 'AWS::IAM::Role' ? trustedServices(properties, scope) : [],
    });
  }
  return resources;
}

/** The CfnResource fields for a resource's names: `nameCauses` only when a pattern has one. */
export const namesOf = ({ names, causes }: ExplainedNames): Pick<CfnResource, 'names' | 'nameCauses'> =>
  Object.keys(causes).length > 0 ? { names, nameCauses: causes } : { names };

/**
 * Names of what the service creates on its own for a resource (data/cfn-resource-names.json
 * `serviceCreated`), from its properties (or, for a known template, the scope's parameters).
 * A name whose variable is unknown is left out: it would reach other apps' resources.
 */
export function createdNamesOf(
  type: string,
  properties: Record<string, unknown>,
  scope: ResolveScope,
  names: ResourceNames,
): Pick<CfnResource, 'createdNames'> {
  const created = (own(names.serviceCreated?.types ?? {}, type) ?? []).flatMap(({ arnType, name }) => {
    const wildcards = name.split('*').length;
    const resolved = resolvePatterns({ 'Fn::Sub': [name, properties] }, scope).filter(
      (value) => value.split('*').length === wildcards,
    );
    return resolved.length > 0 ? [{ arnType, names: resolved }] : [];
  });
  return created.length > 0 ? { createdNames: created } : {};
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

/** A resource's name patterns, and why each pattern with a wildcard is one (when a rule says). */
export interface ExplainedNames {
  readonly names: string[];
  /** Name pattern → cause: an id assigned at creation, a name the service generates, ... */
  readonly causes: Record<string, string>;
}

/**
 * Name patterns of the physical resource: the template's name, else the name CloudFormation or
 * the service generates (data/cfn-resource-names.json): `<cut stack name>*`, `<LogicalId>-*`,
 * `amplify-opense-*`, or `*` for ids assigned at creation.
 */
export function physicalNames(
  type: string,
  properties: Record<string, unknown>,
  scope: TemplateScope,
  names: ResourceNames,
  logicalId = '',
): string[] {
  return explainedNames(type, properties, scope, names, logicalId).names;
}

/** physicalNames, with the cause of every pattern a rule or an unknown part explains. */
export function explainedNames(
  type: string,
  properties: Record<string, unknown>,
  scope: TemplateScope,
  names: ResourceNames,
  logicalId = '',
): ExplainedNames {
  const causes: Record<string, string> = Object.create(null) as Record<string, string>;
  const rule = own(names.types, type);
  if (!rule) return { names: [], causes };
  if (rule.nestedStack) return { names: [`${scope.stackName}-*`.replace(/\*+/g, '*')], causes };
  const declared =
    rule.nameProperty && Object.hasOwn(properties, rule.nameProperty)
      ? resolveExplained(properties[rule.nameProperty], scope)
      : [];
  const usable = declared.filter(({ pattern }) => pattern !== '*' && pattern !== '');
  const found =
    usable.length > 0
      ? usable.map(({ pattern, causes }) => ({ pattern, cause: causes.join('; ') || undefined }))
      : [generatedName(type, rule, scope, logicalId)];
  const result: string[] = [];
  for (const { pattern, cause } of found) {
    const name = rule.lowercase ? pattern.toLowerCase() : pattern;
    if (!result.includes(name)) result.push(name);
    if (cause && name.includes('*')) causes[name] = cause;
  }
  return { names: result, causes };
}

function generatedName(
  type: string,
  rule: NameRule,
  scope: TemplateScope,
  logicalId: string,
): { pattern: string; cause?: string } {
  const source = rule.source ?? 'data/cfn-resource-names.json';
  switch (rule.generated ?? 'stack-prefix') {
    case 'stack-prefix':
      return { pattern: scope.generatedName };
    case 'logical-id':
      return logicalId
        ? {
            pattern: `${logicalId}-*`,
            cause: `${type}: the service names it <LogicalId>-<random> (${source})`,
          }
        : { pattern: '*', cause: `${type}: no logical id to name it by (${source})` };
    case 'stack-and-logical-id-cut': {
      const cut = rule.cut ?? { stack: 7, logicalId: 6 };
      const wildcard = scope.stackName.indexOf('*');
      const stackPart = scope.stackName.slice(0, cut.stack);
      const pattern =
        wildcard >= 0 && wildcard < cut.stack
          ? `${scope.stackName.slice(0, wildcard)}*`
          : `${stackPart}-${logicalId.slice(0, cut.logicalId)}-*`;
      return {
        pattern,
        cause: `${type}: CloudFormation names it <first ${cut.stack} characters of the stack name>-<first ${cut.logicalId} of the logical id>-<random>, which other Amplify projects share (${source})`,
      };
    }
    case 'random':
      return { pattern: '*', cause: `${type}: id assigned at creation (${source})` };
    default:
      return { pattern: '*', cause: `${type}: no confirmed name rule (${source})` };
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
