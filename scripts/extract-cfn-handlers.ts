/**
 * Regenerates data/cfn-handler-permissions/ (one file per service) from a local checkout of
 * pulumi/pulumi-aws-native, whose aws-cloudformation-schema/ folder mirrors the CloudFormation
 * registry schemas AWS publishes (CloudformationSchema.zip). For every resource type it keeps
 * the handler permissions of create, read, update and delete (copied verbatim, duplicates
 * removed; list is left out: CloudFormation never calls it during a stack operation), the
 * create-only properties (a change to one replaces the resource) and where it came from.
 * Types whose schema lists no handlers take the curated entry of
 * data/cfn-handler-permissions.curated.json when there is one.
 *
 *   npm run build && node lib/scripts/extract-cfn-handlers.js PATH/TO/pulumi-aws-native [--commit SHA] [--out DIR]
 *
 * Needed only to refresh the data: never at runtime, never in CI.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serviceFileName } from '../src/catalog/catalog';
import type { ResourceTypeEntry, TypeProvenance } from '../src/catalog/schemas';

export const REPOSITORY = 'pulumi/pulumi-aws-native';
export const SCHEMA_FOLDER = 'aws-cloudformation-schema';
/** The operations CloudFormation calls during stack operations, in the order the files list them. */
export const OPERATIONS = ['create', 'read', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One resource type as stored in data/cfn-handler-permissions/<service>.json (the catalog's schema). */
export type StoredType = ResourceTypeEntry;

export interface ServiceFile {
  readonly source: {
    readonly repository: string;
    readonly folder: string;
    readonly commit: string;
    readonly extractedBy: string;
    readonly curated: string;
  };
  readonly types: Readonly<Record<string, StoredType>>;
}

export interface CuratedFile {
  readonly types: Readonly<
    Record<string, { provenance: TypeProvenance; handlers: Partial<Record<Operation, string[]>> }>
  >;
}

/** One schema file of the checkout: its path relative to the repository root and its parsed content. */
export interface SchemaFile {
  readonly path: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** `/properties/KeySchema/0/AttributeName` → `KeySchema.0.AttributeName`; other pointers are skipped. */
export function pointerToPath(pointer: string): string | undefined {
  const match = /^\/properties\/(.+)$/.exec(pointer);
  return match ? match[1].split('/').join('.') : undefined;
}

/** Every type of the registry (plus curated types the registry lacks), grouped by service file. */
export function extractServiceFiles(
  schemas: readonly SchemaFile[],
  commit: string,
  curated: CuratedFile,
): Map<string, ServiceFile> {
  const types = new Map<string, StoredType>();
  for (const { path: file, schema } of schemas) {
    const type = schema.typeName;
    if (typeof type !== 'string') continue;
    const handlers = handlerLists(schema.handlers);
    const curatedEntry = curated.types[type];
    const createOnly = (Array.isArray(schema.createOnlyProperties) ? schema.createOnlyProperties : [])
      .map((p) => (typeof p === 'string' ? pointerToPath(p) : undefined))
      .filter((p): p is string => p !== undefined);
    const registryProvenance = { source: REPOSITORY, path: file, commit };
    const entry: StoredType = handlers
      ? { provenance: { ...registryProvenance, kind: 'registry-schema-handlers' }, handlers }
      : curatedEntry
        ? { provenance: curatedEntry.provenance, handlers: withoutList(curatedEntry.handlers) }
        : { provenance: { ...registryProvenance, kind: 'registry-schema-no-handlers' } };
    types.set(type, createOnly.length > 0 ? { ...entry, createOnlyProperties: createOnly } : entry);
  }
  for (const [type, entry] of Object.entries(curated.types)) {
    if (!types.has(type))
      types.set(type, { provenance: entry.provenance, handlers: withoutList(entry.handlers) });
  }
  const files = new Map<string, ServiceFile>();
  for (const type of [...types.keys()].sort()) {
    const name = serviceFileName(type);
    const file = files.get(name) ?? {
      source: {
        repository: REPOSITORY,
        folder: SCHEMA_FOLDER,
        commit,
        extractedBy: 'scripts/extract-cfn-handlers.ts',
        curated: 'data/cfn-handler-permissions.curated.json',
      },
      types: {},
    };
    (file.types as Record<string, StoredType>)[type] = types.get(type) as StoredType;
    files.set(name, file);
  }
  return files;
}

/** The create, read, update and delete permission lists of a schema's `handlers`, or undefined without any. */
function handlerLists(handlers: unknown): StoredType['handlers'] | undefined {
  if (typeof handlers !== 'object' || handlers === null) return undefined;
  const lists: Partial<Record<Operation, string[]>> = {};
  for (const operation of OPERATIONS) {
    const permissions = (handlers as Record<string, { permissions?: unknown }>)[operation]?.permissions;
    if (Array.isArray(permissions))
      lists[operation] = [...new Set(permissions.filter((p): p is string => typeof p === 'string'))];
  }
  return Object.keys(lists).length > 0 ? lists : undefined;
}

const withoutList = (handlers: Partial<Record<string, string[]>>): StoredType['handlers'] =>
  Object.fromEntries(OPERATIONS.filter((op) => handlers[op]).map((op) => [op, handlers[op] as string[]]));

/** A service file as text: one line per type, so that a registry update shows as a readable diff. */
export function serializeServiceFile(file: ServiceFile): string {
  const types = Object.entries(file.types).map(
    ([type, entry]) => `    ${JSON.stringify(type)}: ${JSON.stringify(entry)}`,
  );
  return `{\n  "source": ${JSON.stringify(file.source)},\n  "types": {\n${types.join(',\n')}\n  }\n}\n`;
}

/** Reads every schema of a checkout's aws-cloudformation-schema/ folder. */
export function readSchemas(checkout: string): SchemaFile[] {
  const dir = path.join(checkout, SCHEMA_FOLDER);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      path: `${SCHEMA_FOLDER}/${name}`,
      schema: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>,
    }));
}

/** Writes the service files into `outDir`, removing service files the registry no longer has. */
export function writeServiceFiles(files: Map<string, ServiceFile>, outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of fs.readdirSync(outDir))
    if (name.endsWith('.json') && !files.has(name)) fs.rmSync(path.join(outDir, name));
  for (const [name, file] of files) fs.writeFileSync(path.join(outDir, name), serializeServiceFile(file));
}

function main(argv: readonly string[]): void {
  const args = [...argv];
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const repoRoot = path.join(__dirname, '..', '..');
  const outDir = option('--out') ?? path.join(repoRoot, 'data', 'cfn-handler-permissions');
  const commitOption = option('--commit');
  const checkout = args[0];
  if (!checkout || !fs.existsSync(path.join(checkout, SCHEMA_FOLDER))) {
    console.error(
      'usage: node lib/scripts/extract-cfn-handlers.js PATH/TO/pulumi-aws-native [--commit SHA] [--out DIR]',
    );
    process.exit(2);
  }
  const commit =
    commitOption ?? execFileSync('git', ['-C', checkout, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const curated = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'data', 'cfn-handler-permissions.curated.json'), 'utf8'),
  ) as CuratedFile;
  const files = extractServiceFiles(readSchemas(checkout), commit, curated);
  writeServiceFiles(files, outDir);
  const count = [...files.values()].reduce((n, f) => n + Object.keys(f.types).length, 0);
  console.log(`${count} resource types in ${files.size} service files under ${outDir} (commit ${commit}).`);
}

if (require.main === module) main(process.argv.slice(2));
