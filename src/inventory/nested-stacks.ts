/**
 * Nested stacks inside one resource (the AppSync API's `build/cloudformation-template.json`,
 * whose `AWS::CloudFormation::Stack` resources deploy `build/stacks/*.json`): which template
 * each nested stack deploys, and the parameter values its parent passes, resolved in the
 * parent's scope, so a child's names use them (`Post-<API id>-<env>`, not `Post-*-*`).
 * Resource attributes a parent passes (`Fn::GetAtt [GraphQLAPI, ApiId]`) are the id the env
 * recorded, or an unknown that says why. Pure functions.
 */
import { asRecord, isRecord } from '../discovery/read-files';
import type { ResourceNames } from '../catalog/schemas';
import { own, resolveValues, unknownBecause, withoutCauses, type ResolveScope } from './intrinsics';
import type { CfnTemplate } from './parse-template';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** One `AWS::CloudFormation::Stack` of a template. */
export interface NestedStack {
  readonly logicalId: string;
  /** What its TemplateURL resolves to (unknown parts as `*`). */
  readonly url: string;
  /** The template file (project-relative) it deploys; undefined when none of the resource's files matches. */
  readonly file?: string;
  /** The parameters it passes, resolved in the parent's scope (unknown parts keep their causes). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A template with the file it came from. */
export interface TemplateAt {
  readonly file: string;
  readonly template: CfnTemplate;
}

/** The nested stacks a template declares, matched to `files` by the file name their TemplateURL ends with. */
export function nestedStacks(
  template: CfnTemplate,
  ownFile: string,
  scope: ResolveScope,
  files: readonly string[],
): NestedStack[] {
  const stacks: NestedStack[] = [];
  for (const [logicalId, value] of Object.entries(template.Resources)) {
    const resource = asRecord(value);
    if (resource.Type !== STACK_TYPE) continue;
    const properties = asRecord(resource.Properties);
    const urls = resolveValues(properties.TemplateURL, scope).map(withoutCauses);
    const url = urls.length === 1 ? urls[0] : '*';
    const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, given] of Object.entries(asRecord(properties.Parameters))) {
      const values = resolveValues(given, scope);
      // No value (AWS::NoValue): the child's default applies. Several: unknown which.
      if (values.length === 1) parameters[name] = values[0];
      else if (values.length > 1) parameters[name] = '*';
    }
    stacks.push({ logicalId, url, file: templateFileFor(url, files, ownFile), parameters });
  }
  return stacks;
}

/**
 * The file a TemplateURL names: the one whose path ends with the URL's last two segments
 * (`stacks/Post.json`), else the only one with its file name. undefined when the name is
 * unknown or no file (or more than one) fits.
 */
export function templateFileFor(url: string, files: readonly string[], ownFile = ''): string | undefined {
  const segments = url.split(/[?#]/)[0].split('/');
  const name = segments[segments.length - 1] ?? '';
  if (!name || name.includes('*')) return undefined;
  const candidates = files.filter((file) => file !== ownFile && file.split('/').pop() === name);
  if (candidates.length <= 1) return candidates[0];
  const tail = segments.slice(-2).join('/');
  const closer = candidates.filter((file) => file.endsWith(`/${tail}`));
  return closer.length === 1 ? closer[0] : undefined;
}

/**
 * `Fn::GetAtt`/`Ref` of a template's resources: the id the env recorded for an attribute that
 * returns the id assigned at creation (data/cfn-resource-names.json `idAttributes`,
 * `deployedOutputs`), else an unknown with its cause; undefined (a plain unknown) for a `Ref`
 * that is not an id.
 */
export function attributeResolver(
  template: CfnTemplate,
  names: ResourceNames,
  deployedOutputs: Readonly<Record<string, string>> | undefined,
): (logicalId: string, attribute: string) => string | undefined {
  const typeOf = (logicalId: string): string | undefined => {
    const resource = own(template.Resources, logicalId);
    return isRecord(resource) && typeof resource.Type === 'string' ? resource.Type : undefined;
  };
  const countOf = (type: string): number =>
    Object.values(template.Resources).filter((resource) => asRecord(resource).Type === type).length;
  return (logicalId, attribute) => {
    const type = typeOf(logicalId);
    if (!type) return undefined;
    const rule = own(names.types, type);
    if (rule?.idAttributes?.includes(attribute)) {
      // The env records one id per output: it names this resource only when it is the template's one of its type.
      const recorded =
        countOf(type) === 1
          ? (rule.deployedOutputs ?? [])
              .map((output) => deployedOutputs && own(deployedOutputs, output))
              .find(Boolean)
          : undefined;
      return (
        recorded ??
        unknownBecause(
          `${type}: id assigned at creation, not recorded for this env in amplify-meta.json (${rule.source ?? 'data/cfn-resource-names.json'})`,
        )
      );
    }
    if (attribute === 'Ref') return undefined;
    if (type === STACK_TYPE)
      return unknownBecause(
        `${attribute.replace(/^Outputs\./, 'output ')} of nested stack ${logicalId}, known after deployment`,
      );
    return unknownBecause(`${logicalId}.${attribute} (${type}), known after deployment`);
  };
}

/** A template with the scope its resources resolve in. */
export interface ScopedTemplate<T extends TemplateAt, S extends ResolveScope> {
  readonly template: T;
  readonly scope: S;
}

/** What nested stacks a resource's templates declare: their scopes, and the stacks whose template is not there. */
export interface NestedScopes<T extends TemplateAt, S extends ResolveScope> {
  /** In the order of `templates`. */
  readonly scoped: ReadonlyArray<ScopedTemplate<T, S>>;
  /** Nested stacks whose template is none of `templates` (parent file and stack). */
  readonly missing: ReadonlyArray<{ readonly parent: string; readonly stack: NestedStack }>;
}

/**
 * Scopes for a resource's templates, parents first: a child template gets the parameters its
 * parent's `AWS::CloudFormation::Stack` passes (over `scopeOf`'s own) and the stack name
 * `<parent stack>-<logical id>-*`. A file deployed by two stacks with different values gets `*`
 * where they differ.
 */
export function scopeNestedTemplates<T extends TemplateAt, S extends ResolveScope>(
  templates: readonly T[],
  scopeOf: (template: T, passed: Readonly<Record<string, string>>, stackName?: string) => S,
): NestedScopes<T, S> {
  const files = templates.map((t) => t.file);
  const byFile = new Map(templates.map((t) => [t.file, t]));
  // Links from the templates' own scopes: only the file names matter here.
  const children = new Map(
    templates.map((t) => [
      t.file,
      nestedStacks(t.template, t.file, scopeOf(t, {}), files).flatMap((s) => (s.file ? [s.file] : [])),
    ]),
  );
  const order = parentsFirst(files, children).map((file) => byFile.get(file)!);

  const passed = new Map<string, Record<string, string>>();
  const stackNames = new Map<string, string>();
  const scopes = new Map<string, S>();
  const missing: Array<{ parent: string; stack: NestedStack }> = [];
  for (const template of order) {
    const scope = scopeOf(template, passed.get(template.file) ?? {}, stackNames.get(template.file));
    scopes.set(template.file, scope);
    for (const stack of nestedStacks(template.template, template.file, scope, files)) {
      if (!stack.file) {
        missing.push({ parent: template.file, stack });
        continue;
      }
      if (scopes.has(stack.file)) continue; // a cycle: the child was scoped already
      passed.set(stack.file, mergePassed(passed.get(stack.file), stack.parameters));
      if (!stackNames.has(stack.file))
        stackNames.set(stack.file, `${scope.stackName}-${stack.logicalId}-*`.replace(/\*+/g, '*'));
    }
  }
  return { scoped: templates.map((template) => ({ template, scope: scopes.get(template.file)! })), missing };
}

/**
 * Files in an order where every file comes after all the files that deploy it (Kahn's order,
 * ties in the given order); files in a cycle come last, in the given order.
 */
function parentsFirst(files: readonly string[], children: ReadonlyMap<string, readonly string[]>): string[] {
  const parents = new Map(files.map((file) => [file, 0]));
  for (const [parent, list] of children)
    for (const child of new Set(list))
      if (child !== parent) parents.set(child, (parents.get(child) ?? 0) + 1);
  const order: string[] = [];
  const ready = files.filter((file) => parents.get(file) === 0);
  while (ready.length > 0) {
    const file = ready.shift()!;
    order.push(file);
    for (const child of new Set(children.get(file) ?? [])) {
      if (child === file) continue;
      parents.set(child, parents.get(child)! - 1);
      if (parents.get(child) === 0) ready.push(child);
    }
  }
  return [...order, ...files.filter((file) => !order.includes(file))];
}

/** Parameters passed to one file by several stacks: a value they disagree on is unknown. */
function mergePassed(
  before: Readonly<Record<string, string>> | undefined,
  next: Readonly<Record<string, string>>,
): Record<string, string> {
  if (!before) return { ...next };
  const merged: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of new Set([...Object.keys(before), ...Object.keys(next)]))
    merged[name] = own(before, name) === own(next, name) ? next[name] : '*';
  return merged;
}
