import type { HandlerOperation, Phase } from '../model';

/**
 * The shapes of the data files under data/ (each carries its own provenance): what
 * src/catalog/catalog.ts loads and every stage reads.
 */
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
  /** Recorded runs of the real CLI (examples, command) that made these calls (test/trace). */
  readonly traced?: readonly string[];
  /** Why a trace does not reach (part of) the calls: the source reference in `where` is their provenance. */
  readonly notTraced?: string;
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
  /**
   * An ARN template (`${Partition}`, `${Region}`, `${Account}`) the service authorizes these
   * actions on instead of the type's own ARN (tag-on-create before the resource has an id):
   * granted on it as written, through CloudFormation, and reported as a widening.
   */
  readonly resource?: string;
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
