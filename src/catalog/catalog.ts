import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HandlerOperation, Phase } from '../model';
import { faultError } from '../errors';

/**
 * Loads the permission knowledge in data/ (each file carries its own provenance).
 * Files are read once, on first use.
 */

/** One condition of an escalation rule (data/escalation-rules.json). */
export type EscalationClause =
  | { readonly kind: 'granted'; readonly actions: readonly string[]; readonly unlessConditionKey?: string }
  | { readonly kind: 'passRoleTo'; readonly services: 'computeServices' }
  | {
      readonly kind: 'broad';
      readonly actions: readonly string[];
      readonly resourceType: string;
      readonly minimumPrefix: number;
    };

/** data/escalation-rules.json: combinations of grants that let the holder escalate. */
export interface EscalationRules {
  readonly computeServices: readonly string[];
  readonly rules: ReadonlyArray<{
    readonly id: string;
    readonly severity: 'high' | 'medium';
    readonly clauses: readonly EscalationClause[];
    readonly reason: string;
    readonly mitigation: string;
  }>;
}

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

export type { HandlerOperation };
export type HandlerLists = Partial<Record<HandlerOperation, readonly string[]>>;
export type HandlerPermissions = Readonly<Record<string, HandlerLists>>;

/** Where a resource type's handler data comes from (the registry schema, or a curated entry). */
export interface TypeProvenance {
  readonly source: string;
  readonly path?: string;
  readonly commit?: string | null;
  /** `registry-schema-handlers`, `registry-schema-no-handlers`, `curated-...`. */
  readonly kind: string;
  readonly note?: string;
}

/** One CloudFormation resource type of data/cfn-handler-permissions/<service>.json. */
export interface ResourceTypeEntry {
  readonly provenance: TypeProvenance;
  /** Absent: the registry schema lists no handler permissions and none were curated. */
  readonly handlers?: HandlerLists;
  /** Dot paths of the properties whose change replaces the resource (`*` for every array item). */
  readonly createOnlyProperties?: readonly string[];
}

/** Handler data for every registry type, read one service file at a time, on first use. */
export interface ResourceTypeCatalog {
  /** The type's entry; undefined when neither the registry nor the curated data knows it. */
  get(type: string): ResourceTypeEntry | undefined;
  /** Every type (reads every service file: for tests and tools, not for the engine). */
  all(): ReadonlyMap<string, ResourceTypeEntry>;
}

/** An action a handler needs that its registry list omits (data/cfn-handler-additions.json). */
export interface HandlerAddition {
  readonly type: string;
  readonly operations: readonly HandlerOperation[];
  readonly actions: readonly string[];
  /** Public evidence: an issue thread or AWS documentation URL. */
  readonly sources: readonly string[];
  readonly because: string;
}

/** Whether deleting a resource type destroys data (data/stateful-types.json). */
export interface StatefulRule {
  readonly stateful: boolean;
  readonly reason: string;
}

export interface StatefulTypes {
  /** Types not listed: treated as stateful (their deletes stay in the delete phase). */
  readonly unlistedReason: string;
  readonly types: Readonly<Record<string, StatefulRule>>;
}

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
  /** What IAM authorizes the type's actions on after the ARN of its reference format (a log group's `:*`). */
  readonly arnSuffix?: ArnSuffix;
}

/** Text after the name in the ARN the service authorizes on, for all actions but the excepted ones. */
export interface ArnSuffix {
  readonly suffix: string;
  readonly exceptActions: readonly string[];
  readonly source: string;
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
  /**
   * The resources the rule can judge (their category and service); elsewhere its actions stay.
   * A rule with `appliesTo` and no property keeps its actions nowhere inside that scope.
   */
  readonly appliesTo?: Predicate;
  readonly reason: string;
  /** Evidence that the property makes the handler call the actions (cross-service rules). */
  readonly source?: string;
}

/** A service-linked role a resource type's handler creates, and the property that makes it (data/service-linked-roles.json). */
export interface ServiceLinkedRole {
  readonly type: string;
  /** Property paths any of which makes the service need the role; absent: every resource of the type. */
  readonly whenAny?: readonly string[];
  /** The service principal (`iam:AWSServiceName`) and the role's name, one pair per role the service may create. */
  readonly roles: ReadonlyArray<{ readonly service: string; readonly roleName: string }>;
  readonly because: string;
  readonly sources: readonly string[];
}

export interface Catalog {
  readonly cliCalls: readonly CliCall[];
  /** CloudFormation's handler permissions and create-only properties per resource type, loaded lazily. */
  readonly resourceTypes: ResourceTypeCatalog;
  /**
   * The handler lists of every type that has them. Reads every service file on first access:
   * for tests and tools; the engine asks `resourceTypes.get(type)`.
   */
  readonly handlerPermissions: HandlerPermissions;
  /** Actions the registry's handler lists omit, by resource type. */
  readonly handlerAdditions: Readonly<Record<string, readonly HandlerAddition[]>>;
  readonly statefulTypes: StatefulTypes;
  readonly knownTemplates: Readonly<Record<string, KnownTemplate>>;
  readonly resourceNames: ResourceNames;
  readonly actionCorrections: Readonly<Record<string, ActionCorrection>>;
  /**
   * What a name of a handler list stands for when it is not an IAM action: its correction
   * (data/action-corrections.json) or, for a wildcard, the IAM actions it matches
   * (data/action-corrections.wildcards.json, read on the first wildcard). Undefined: an action.
   */
  correction(name: string): ActionCorrection | undefined;
  readonly conditionRules: ConditionRules;
  /** Trimming rules by resource type. */
  readonly trimRules: Readonly<Record<string, readonly TrimRule[]>>;
  /** Service-linked roles by resource type (types not listed: any service-linked role). */
  readonly serviceLinkedRoles: Readonly<Record<string, readonly ServiceLinkedRole[]>>;
  /** Services requested in us-east-1 whatever the project's region. */
  readonly globalServices: readonly string[];
  readonly escalationRules: EscalationRules;
}

/** The package's data folder (the same from src/ under ts and from lib/src/ once compiled). */
export const DATA_DIR = findDataDir(__dirname);

function findDataDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'data', 'cfn-handler-permissions.curated.json');
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    // The package ships data/ beside lib/: without it the installation itself is broken.
    if (path.dirname(dir) === dir) throw faultError(`data/ folder not found above ${start}`);
  }
}

const readData = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')) as T;

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const resourceTypes = resourceTypeCatalog(path.join(DATA_DIR, HANDLERS_DIR));
  let allHandlers: HandlerPermissions | undefined;
  const actionCorrections = dictionary(
    readData<{ corrections: Record<string, ActionCorrection> }>('action-corrections.json').corrections,
  );
  let wildcards: Readonly<Record<string, readonly string[]>> | undefined;
  cached = {
    cliCalls: readData<{ calls: CliCall[] }>('cli-calls.json').calls,
    resourceTypes,
    get handlerPermissions(): HandlerPermissions {
      allHandlers ??= Object.fromEntries(
        [...resourceTypes.all()].flatMap(([type, entry]) => (entry.handlers ? [[type, entry.handlers]] : [])),
      );
      return allHandlers;
    },
    handlerAdditions: groupByType(readData<{ additions: HandlerAddition[] }>(ADDITIONS_FILE).additions),
    statefulTypes: readData<StatefulTypes>('stateful-types.json'),
    knownTemplates: readData<{ services: Record<string, KnownTemplate> }>('known-templates.json').services,
    resourceNames: namesByType(readData<ResourceNames>('cfn-resource-names.json')),
    actionCorrections,
    correction(name: string): ActionCorrection | undefined {
      if (Object.hasOwn(actionCorrections, name)) return actionCorrections[name];
      if (!name.includes('*')) return undefined;
      wildcards ??= readData<{ wildcards: Record<string, string[]> }>(WILDCARDS_FILE).wildcards;
      const actions = wildcards[name] ?? [];
      return {
        actions,
        note: `a wildcard, granted as the ${actions.length} IAM action(s) it matches (data/${WILDCARDS_FILE})`,
      };
    },
    conditionRules: readData<ConditionRules>('condition-rules.json'),
    trimRules: groupByType(readData<{ rules: TrimRule[] }>('handler-trimming.json').rules),
    serviceLinkedRoles: groupByType(
      readData<{ roles: ServiceLinkedRole[] }>(SERVICE_LINKED_ROLES_FILE).roles,
    ),
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

/** The ARN suffixes of the name rules, by IAM resource type (what loadIamReference corrects formats with). */
export const arnSuffixes = (names: ResourceNames): Array<ArnSuffix & { readonly arnType: string }> =>
  Object.values(names.types).flatMap((rule) =>
    rule.arnSuffix ? [{ ...rule.arnSuffix, arnType: rule.arnType }] : [],
  );

/** The ARN types whose names the given resource types carry (their own, and what their service creates). */
export function nameArnTypesOf(names: ResourceNames, types: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const type of types) {
    const rule = Object.hasOwn(names.types, type) ? names.types[type] : undefined;
    if (rule) found.add(rule.arnType);
    const created = names.serviceCreated?.types;
    if (created && Object.hasOwn(created, type)) for (const c of created[type]) found.add(c.arnType);
  }
  return [...found];
}

function groupByType<T extends { readonly type: string }>(rules: readonly T[]): Record<string, T[]> {
  const byType: Record<string, T[]> = dictionary({});
  for (const rule of rules) (byType[rule.type] ??= []).push(rule);
  return byType;
}

/** The folder of per-service handler files (written by scripts/extract-cfn-handlers.ts). */
export const HANDLERS_DIR = 'cfn-handler-permissions';
export const ADDITIONS_FILE = 'cfn-handler-additions.json';
export const WILDCARDS_FILE = 'action-corrections.wildcards.json';
export const SERVICE_LINKED_ROLES_FILE = 'service-linked-roles.json';

/** `AWS::CloudFront::Function` → `aws-cloudfront.json`, the service file that holds the type. */
export const serviceFileName = (type: string): string =>
  `${type.split('::').slice(0, 2).join('-').toLowerCase()}.json`;

/**
 * Handler data read one service file at a time: a project reads only the files of the
 * services it deploys (a few of the ~290), so start-up does not grow with the registry.
 */
export function resourceTypeCatalog(dir: string): ResourceTypeCatalog {
  const files = new Map<string, Readonly<Record<string, ResourceTypeEntry>>>();
  const load = (file: string): Readonly<Record<string, ResourceTypeEntry>> => {
    let types = files.get(file);
    if (!types) {
      types = readServiceFile(path.join(dir, file));
      files.set(file, types);
    }
    return types;
  };
  return {
    get: (type) => (type.includes('::') ? load(serviceFileName(type))[type] : undefined),
    all: () =>
      new Map(
        fs
          .readdirSync(dir)
          .filter((name) => name.endsWith('.json'))
          .sort()
          .flatMap((name) => Object.entries(load(name))),
      ),
  };
}

function readServiceFile(file: string): Readonly<Record<string, ResourceTypeEntry>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return (JSON.parse(text) as { types: Record<string, ResourceTypeEntry> }).types;
}
