import type { Warning } from './results';

/**
 * Plain data shapes that travel along the flow:
 * project files → ProjectContext → Inventory → Requirement[] → PolicyDocument[] → outputs.
 * Everything here is serialisable; no classes, no behaviour.
 */

/**
 * What the policy is for: a group of Amplify CLI commands (src/requirements/phases.ts lists
 * which). Only `push`, `init` and `delete` deploy through CloudFormation.
 */
export type Phase = 'push' | 'pull' | 'publish' | 'codegen' | 'init' | 'delete';
export const ALL_PHASES: readonly Phase[] = ['push', 'pull', 'publish', 'codegen', 'init', 'delete'];
/** What `generate` grants without --phases: the everyday commands of whoever deploys the env. */
export const DEFAULT_PHASES: readonly Phase[] = ['push', 'pull', 'publish', 'codegen'];
/** Phases that deploy with CloudFormation: the only ones a CDK assembly's policies are made for. */
export const CDK_PHASES: readonly Phase[] = ['push', 'init', 'delete'];
/** What `generate --cdk-out/--template` grants without --phases. */
export const CDK_DEFAULT_PHASES: readonly Phase[] = ['push'];

/** Who and where: everything about the project that is not a resource. Missing values stay undefined. */
export interface ProjectContext {
  /** Absolute path of the folder that holds `amplify/`. */
  readonly rootDir: string;
  readonly projectName?: string;
  readonly envName?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly rootStackName?: string;
  readonly deploymentBucket?: string;
  readonly appId?: string;
  /** Roles of the identity pool, created by the root stack. */
  readonly authRoleName?: string;
  readonly unauthRoleName?: string;
  readonly permissionsBoundaryArn?: string;
  /** `javascript`, `ios`, `android`, `flutter` (project-config.json). */
  readonly frontend?: string;
  /** The pre-push guard asks IAM to simulate the caller (GenerateOptions, else the guard's config.json). */
  readonly guardVerify?: boolean;
  /** Every env named in team-provider-info.json. */
  readonly envNames: readonly string[];
  /** Stack outputs of each deployed resource (`category/name` → output → value), checked-out env only. */
  readonly deployedOutputs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly warnings: readonly Warning[];
}

/** One resource declared in a CloudFormation template of the project. */
export interface CfnResource {
  readonly logicalId: string;
  readonly type: string;
  /** Template path relative to the project root, or `data:<file>` for types taken from known templates. */
  readonly template: string;
  /**
   * Dot paths of the properties the resource sets (`KmsKeyArn`, `SSESpecification.KMSMasterKeyId`),
   * in the template or in the last deployed one; undefined when unknown (a known template without
   * property data, or a resource an override.ts can change).
   */
  readonly propertyPaths?: readonly string[];
  /** DeletionPolicy Retain (or RetainExceptOnCreate): CloudFormation never calls its delete handler. */
  readonly retainedOnDelete: boolean;
  /** Resolved name patterns of the physical resource (from its name property), `*` where unknown. */
  readonly names: readonly string[];
  /** Why a name pattern has a wildcard, where known (an id assigned at creation, a generated name). */
  readonly nameCauses?: Readonly<Record<string, string>>;
  /** Names of what the service creates on its own for this resource (an Amplify branch's notification topics). */
  readonly createdNames?: ReadonlyArray<{ readonly arnType: string; readonly names: readonly string[] }>;
  /** Services a role can be assumed by (AWS::IAM::Role only). */
  readonly trustedServices: readonly string[];
}

/** One entry of backend-config.json (or of the root stack). */
export interface InventoryResource {
  readonly category: string;
  readonly service: string;
  readonly name: string;
  readonly imported: boolean;
  readonly templateFiles: readonly string[];
  /** Where `cfnResources` came from. */
  readonly typesFrom: 'templates' | 'known-template' | 'none';
  readonly cfnResources: readonly CfnResource[];
  /**
   * Deployed by the last push (amplify/#current-cloud-backend) but gone from the project, or the
   * old copy of a resource the next push replaces under another name: CloudFormation deletes it.
   */
  readonly removed?: boolean;
  /**
   * An imported resource's entry in team-provider-info.json for the env (`bucketName`,
   * `tableName`, `userPoolId`, `identityPoolId`, ...): the existing resource it points at.
   */
  readonly importedIds?: Readonly<Record<string, string>>;
}

/**
 * A resource the last push deployed that the next push deletes: `removed` from the project, or
 * `replaced` (its type or a create-only property changed, so CloudFormation creates a new copy
 * and deletes the old one).
 */
export interface DeployedChange {
  /** `category/name` of the backend-config entry, or `root stack`. */
  readonly resource: string;
  readonly logicalId: string;
  readonly type: string;
  readonly change: 'removed' | 'replaced';
  /** The deployed template, relative to the project root. */
  readonly template: string;
  /** Create-only properties whose value changed (a replacement). */
  readonly properties?: readonly string[];
  /** DeletionPolicy Retain (or RetainExceptOnCreate) on the deployed copy: CloudFormation keeps it. */
  readonly retained: boolean;
}

export interface Inventory {
  /** The root stack first, then backend-config order. */
  readonly resources: readonly InventoryResource[];
  /** Project features that switch on CLI calls (see data/cli-calls.json `when.features`). */
  readonly features: readonly string[];
  readonly warnings: readonly Warning[];
  /** What the next push deletes of the last deployment (empty without amplify/#current-cloud-backend). */
  readonly changes: readonly DeployedChange[];
}

/** A CloudFormation resource type the policy has no handler permissions for. */
export interface UnknownType {
  readonly type: string;
  /** `category/name` of every resource that declares it. */
  readonly resources: readonly string[];
  readonly templates: readonly string[];
  /** Why nothing is known: not a registry type, or its registry schema lists no handler permissions. */
  readonly reason: string;
}

/** A condition block exactly as it appears in an IAM statement. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** A CloudFormation resource handler's operation (its schema's `handlers`). */
export type HandlerOperation = 'create' | 'read' | 'update' | 'delete';

/** Why an action is in the policy: where the need comes from, as fields (what to group and filter by) and as a sentence. */
export interface Reason {
  /** `cli` (the Amplify CLI calls it itself), `cloudformation` (a resource handler needs it), `override` (overrides.json). */
  readonly via: 'cli' | 'cloudformation' | 'override';
  /** `category/resource`, `root stack`, `project` (a CLI call), `overrides.json grants[i]`. */
  readonly resource: string;
  /** The CloudFormation resource type whose handler needs it (scope narrows to that type's resources). */
  readonly resourceType?: string;
  /** The handler operations that list it (via `cloudformation`). */
  readonly operations?: readonly HandlerOperation[];
  /** What needs it in a few words: `AWS::Lambda::Function create/update handler`, the CLI step's purpose. */
  readonly summary: string;
  /** The summary with its particulars: the registry's spelling, the property that keeps an optional action, the CLI's code. */
  readonly detail: string;
  /** Data file the knowledge comes from. */
  readonly source: string;
  /**
   * For the CLI's own calls: the evidence, `traced in <runs>` (recorded runs of the real CLI)
   * and/or `not traced: <why>` (then the source reference in detail is the provenance).
   */
  readonly evidence?: string;
}

/** One permission the deployment needs: flat, one action, one resource pattern. */
export interface Requirement {
  readonly action: string;
  /** ARN pattern; undefined: scope it from the action's IAM resource types and the project's names. */
  readonly resource?: string;
  readonly condition?: ConditionBlock;
  readonly phase: Phase;
  readonly reason: Reason;
}

/**
 * One permission the policy grants: an action (IAM's spelling) on an ARN pattern, under a
 * condition, with the requirements that need it. Grants are unique by (action, resource,
 * condition). `origins` are groups of requirements shared by every grant scoped from them
 * (a handler's iam:PassRole on each of the project's roles): referenced, never copied, so
 * that N resources needing an action on R resources cost N + R, not N × R.
 */
export interface Grant {
  readonly action: string;
  readonly resource: string;
  readonly condition?: ConditionBlock;
  readonly origins: ReadonlyArray<readonly Requirement[]>;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
  /** IAM's count: the minified JSON length. */
  readonly characters: number;
}
