/**
 * Names of a resource that has no built template yet, from data/known-templates.json: Fn::Sub
 * patterns over what the project records for it (cli-inputs.json, parameters.json,
 * team-provider-info.json, the outputs amplify-meta.json keeps) and the deployment names.
 * `${Model}` stands for each `@model` type of the API's schema. A variable the project does
 * not record becomes `*` with the reason, so the widening it causes says why.
 */
import fs = require('node:fs');
import path = require('node:path');
import { asRecord, readJsonIfExists } from '../discovery/read-files';
import type { ResourceNames } from '../catalog/schemas';
import type { ExplainedNames } from './cfn-resources';
import { own, resolveExplained, resolveValues, unknownBecause, type ResolveScope } from './intrinsics';

/** What a resource folder records about its names: cli-inputs.json's strings, one level of objects deep (cognitoConfig). */
export function recordedInputs(resourceDir: string, rootDir: string): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const inputs = asRecord(readJsonIfExists(path.join(resourceDir, 'cli-inputs.json'), rootDir));
  for (const record of [inputs, ...Object.values(inputs).filter((v) => typeof v === 'object')])
    for (const [key, value] of Object.entries(asRecord(record)))
      if (typeof value === 'string' && !(key in values)) values[key] = value;
  return values;
}

/** The 4th part of the root stack name (`amplify-<project>-<env>-<suffix>`), which nested-stack names repeat. */
export function stackSuffix(rootStackName: string): string | undefined {
  const part = rootStackName.split('-')[3];
  return part && !part.includes('*') ? part : undefined;
}

/**
 * `@model` types of an API's GraphQL schema (schema.graphql, or every .graphql file of schema/),
 * plus AmplifyDataStore when conflict detection is on (transform.conf.json ResolverConfig): the
 * tables the transformer creates are `<Model>-<API id>-<env>`.
 */
export function graphqlTables(apiDir: string, rootDir: string): string[] {
  const files = [path.join(apiDir, 'schema.graphql')];
  const folder = path.join(apiDir, 'schema');
  if (isDirectory(folder))
    files.push(
      ...fs
        .readdirSync(folder, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.graphql'))
        .map((f) => path.join(folder, f)),
    );
  const models = new Set<string>();
  for (const file of files) {
    if (!isFile(file)) continue;
    const text = fs
      .readFileSync(file, 'utf8')
      .replace(/#[^\n]*/g, '')
      .replace(/"""[\s\S]*?"""/g, '');
    for (const match of text.matchAll(/\btype\s+(\w+)([^{]*)\{/g))
      if (/@model\b/.test(match[2])) models.add(match[1]);
  }
  const config = asRecord(readJsonIfExists(path.join(apiDir, 'transform.conf.json'), rootDir));
  if (models.size > 0 && config.ResolverConfig !== undefined) models.add('AmplifyDataStore');
  return [...models].sort();
}

/**
 * The known name patterns resolved: each `${Model}` pattern once per table model, variables the
 * parameters lack as `*` with `causeOf(variable)`.
 */
export function knownNames(
  patterns: readonly string[],
  scope: ResolveScope,
  models: readonly string[],
  causeOf: (variable: string) => string,
): ExplainedNames {
  const causes: Record<string, string> = Object.create(null) as Record<string, string>;
  const result: string[] = [];
  const parameters: Record<string, string> = Object.assign(Object.create(null), scope.parameters);
  for (const pattern of patterns) {
    const variables = [...pattern.matchAll(/\$\{([\w]+)\}/g)].map((m) => m[1]);
    for (const variable of variables)
      if (variable !== 'Model' && own(parameters, variable) === undefined)
        parameters[variable] = unknownBecause(causeOf(variable));
    const filled = variables.includes('Model')
      ? models.length > 0
        ? models.map((model) => pattern.replace(/\$\{Model\}/g, model))
        : [pattern.replace(/\$\{Model\}/g, unknownBecause(causeOf('Model')))]
      : [pattern];
    for (const one of filled)
      for (const { pattern: name, causes: why } of resolveExplained(
        { 'Fn::Sub': one },
        { ...scope, parameters },
      )) {
        if (!result.includes(name)) result.push(name);
        if (why.length > 0 && name.includes('*')) causes[name] = why.join('; ');
      }
  }
  return { names: result, causes };
}

/**
 * Values (Fn::Sub patterns over `scope`'s parameters) with their unknown parts' causes kept: what
 * a service's root template would pass to the project's additional templates.
 */
export function knownValues(
  patterns: Readonly<Record<string, string>>,
  scope: ResolveScope,
  causeOf: (variable: string) => string,
): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, pattern] of Object.entries(patterns)) {
    const parameters: Record<string, string> = Object.assign(Object.create(null), scope.parameters);
    for (const [, variable] of pattern.matchAll(/\$\{(\w+)\}/g))
      if (own(parameters, variable) === undefined) parameters[variable] = unknownBecause(causeOf(variable));
    const resolved = resolveValues({ 'Fn::Sub': pattern }, { ...scope, parameters });
    values[name] = resolved.length === 1 ? resolved[0] : '*';
  }
  return values;
}

/** Why a known pattern's variable is unknown: the id a service assigns, the root stack, or a value the project does not record. */
export function missingVariableCause(owner: string, variable: string, rules: ResourceNames): string {
  const idRule = Object.entries(rules.types).find(([, rule]) => rule.deployedOutputs?.includes(variable));
  if (idRule)
    return `${idRule[0]}: id assigned at creation, not recorded for this env in amplify-meta.json (${idRule[1].source ?? 'data/cfn-resource-names.json'})`;
  if (variable === 'StackSuffix')
    return 'root stack name not recorded (the env was never deployed or pulled)';
  if (variable === 'Model') return `${owner}: no @model type found in its GraphQL schema`;
  return `${owner} is not built yet and records no ${variable} (cli-inputs.json, parameters.json): run \`amplify build\` for its exact names`;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
