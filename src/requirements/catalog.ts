import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Phase } from '../model';
import type { EscalationRules } from '../policy/escalation';

/**
 * Loads the permission knowledge in data/ (each file carries its own provenance).
 * Files are read once, on first use.
 */

/** `when` of a data entry: every given field must match (any of its values). */
export interface Predicate {
  readonly categories?: readonly string[];
  /** `category:service`. */
  readonly services?: readonly string[];
  readonly imported?: boolean;
  readonly features?: readonly string[];
}

export interface CliCall {
  readonly id: string;
  readonly actions: readonly string[];
  /** ARN template(s); absent: scoped from the action's IAM resource types. */
  readonly resource?: string | readonly string[];
  readonly phases: readonly Phase[];
  readonly when?: Predicate;
  readonly because: string;
  readonly where: string;
}

export type HandlerOperation = 'create' | 'read' | 'update' | 'delete' | 'list';
export type HandlerPermissions = Readonly<
  Record<string, Partial<Record<HandlerOperation, readonly string[]>>>
>;

export interface KnownType {
  readonly type: string;
  readonly names?: readonly string[];
  readonly trustedServices?: readonly string[];
  /** Property paths the service's template sets (any of its options); absent: unknown. */
  readonly properties?: readonly string[];
  readonly deletionPolicy?: 'Retain' | 'Delete';
}

export interface KnownTemplate {
  readonly where: string;
  /** Set when the service's real templates exist only in build/ (templates outside it are additions). */
  readonly builtTemplates?: string;
  /** Parameters the service's built root template passes to the additions (stacks/), Fn::Sub over the known names. */
  readonly additionParameters?: Readonly<Record<string, string>>;
  readonly when?: Predicate;
  readonly types: readonly KnownType[];
}

/** What CloudFormation names a resource whose template gives no name (data/cfn-resource-names.json `kinds`). */
export type GeneratedName =
  'stack-prefix' | 'logical-id' | 'random' | 'uncertain' | 'stack-and-logical-id-cut';

export interface NameRule {
  readonly arnType: string;
  readonly nameProperty?: string;
  readonly nestedStack?: boolean;
  readonly lowercase?: boolean;
  /** @default 'stack-prefix' */
  readonly generated?: GeneratedName;
  readonly source?: string;
  /** amplify-meta.json outputs of the resource that hold the id assigned at creation. */
  readonly deployedOutputs?: readonly string[];
  /** Attributes (`Ref` for the Ref value) that return the id assigned at creation. */
  readonly idAttributes?: readonly string[];
  /** For `stack-and-logical-id-cut`: how many characters of the stack name and logical id the name keeps. */
  readonly cut?: { readonly stack: number; readonly logicalId: number };
}

/** A resource a service creates on its own while a handler runs (data/cfn-resource-names.json `serviceCreated`). */
export interface ServiceCreatedName {
  readonly arnType: string;
  /** Fn::Sub pattern over the resource's properties. */
  readonly name: string;
  readonly source: string;
}

export interface ResourceNames {
  readonly generatedNames: { readonly stackNamePrefixLength: number };
  readonly serviceCreated?: { readonly types: Readonly<Record<string, readonly ServiceCreatedName[]>> };
  /** IAM resource types (`service:key`) never granted on a bare `*` name. */
  readonly neverBare: { readonly arnTypes: readonly string[] };
  readonly types: Readonly<Record<string, NameRule>>;
}

export interface ActionCorrection {
  readonly actions: readonly string[];
  readonly note: string;
}

export interface ConditionRules {
  readonly calledVia: string;
  readonly calledViaExempt: ReadonlyArray<{
    readonly service?: string;
    readonly action?: string;
    readonly reason: string;
  }>;
}

/** An optional handler action and the template property that makes the handler call it. */
export interface TrimRule {
  readonly type: string;
  readonly actions: readonly string[];
  /** Property paths any of which makes the handler call the actions. */
  readonly whenAny?: readonly string[];
  /** Tag properties; stack tags also count. */
  readonly tags?: readonly string[];
  /** A project feature that makes the handler call the actions whatever the template says. */
  readonly whenFeature?: string;
  readonly reason: string;
}

export interface Catalog {
  readonly cliCalls: readonly CliCall[];
  readonly handlerPermissions: HandlerPermissions;
  readonly knownTemplates: Readonly<Record<string, KnownTemplate>>;
  readonly resourceNames: ResourceNames;
  readonly actionCorrections: Readonly<Record<string, ActionCorrection>>;
  readonly conditionRules: ConditionRules;
  /** Trimming rules by resource type. */
  readonly trimRules: Readonly<Record<string, readonly TrimRule[]>>;
  /** Services requested in us-east-1 whatever the project's region. */
  readonly globalServices: readonly string[];
  readonly escalationRules: EscalationRules;
}

/** The package's data folder (the same from src/ under ts and from lib/src/ once compiled). */
export const DATA_DIR = findDataDir(__dirname);

function findDataDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data', 'cfn-handler-permissions.json');
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    if (path.dirname(dir) === dir) throw new Error(`data/ folder not found above ${start}`);
  }
}

const readData = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')) as T;

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  cached ??= {
    cliCalls: readData<{ calls: CliCall[] }>('cli-calls.json').calls,
    handlerPermissions: dictionary(readData<HandlerPermissions>('cfn-handler-permissions.json')),
    knownTemplates: readData<{ services: Record<string, KnownTemplate> }>('known-templates.json').services,
    resourceNames: namesByType(readData<ResourceNames>('cfn-resource-names.json')),
    actionCorrections: dictionary(
      readData<{ corrections: Record<string, ActionCorrection> }>('action-corrections.json').corrections,
    ),
    conditionRules: readData<ConditionRules>('condition-rules.json'),
    trimRules: groupByType(readData<{ rules: TrimRule[] }>('handler-trimming.json').rules),
    globalServices: readData<{ services: string[] }>('global-services.json').services,
    escalationRules: readData<EscalationRules>('escalation-rules.json'),
  };
  return cached;
}

/**
 * A map looked up by names a template writes (resource types): without a prototype, so a type
 * such as `constructor` or `__proto__` finds nothing instead of Object's members.
 */
const dictionary = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.assign(Object.create(null) as Record<string, T>, record);

const namesByType = (names: ResourceNames): ResourceNames => ({
  ...names,
  types: dictionary(names.types),
  serviceCreated: { types: dictionary(names.serviceCreated?.types ?? {}) },
});

/** Every IAM resource type (`service:key`) the name data puts names in: the IAM reference loads their ARN formats. */
export const nameArnTypes = (names: ResourceNames): string[] => [
  ...new Set([
    ...Object.values(names.types).map((rule) => rule.arnType),
    ...Object.values(names.serviceCreated?.types ?? {}).flatMap((list) =>
      list.map((created) => created.arnType),
    ),
  ]),
];

function groupByType(rules: readonly TrimRule[]): Record<string, TrimRule[]> {
  const byType: Record<string, TrimRule[]> = dictionary({});
  for (const rule of rules) (byType[rule.type] ??= []).push(rule);
  return byType;
}
