import crypto = require('node:crypto');
import type { NamedPolicy, PolicyDocument, ProjectContext } from '../model';
import { renderDocument } from '../policy/render';
import type { AttachTarget } from './identity';
import { compareText } from '../text-order';

/** Where our policies live in IAM: only policies under this path, with our names, are ever touched. */
export const POLICY_PATH = '/amplify-least-privilege/';
/** The tag our policies carry; its value names the project and env (`lpdemo/dev`). */
export const OWNER_TAG_KEY = 'amplify-least-privilege';

/** The owner tag's value for a project and env, in the characters IAM allows in tag values. */
export function ownerTagValue(context: Pick<ProjectContext, 'projectName' | 'envName'>): string {
  return `${tagPart(context.projectName, 'project')}/${tagPart(context.envName, 'env')}`;
}

/** The owner tag's value for a CDK app's policies (`cdk/<app>`); the policy names tell its principals and environments apart. */
export function cdkOwnerTagValue(appName: string): string {
  return `cdk/${tagPart(appName, 'app')}`;
}

const tagPart = (value: string | undefined, fallback: string): string =>
  (value ?? fallback).replace(/[^A-Za-z0-9 _.:=+@-]/g, '');
/** IAM keeps at most five versions of a managed policy. */
export const MAX_POLICY_VERSIONS = 5;

export interface PolicyVersionState {
  readonly id: string;
  readonly isDefault: boolean;
  /** ISO date; the oldest non-default version is the one removed to make room. */
  readonly created: string;
}

/** One of our policies as IAM has it now. */
export interface ExistingPolicy {
  readonly name: string;
  readonly arn: string;
  /** The default version's document (what is in effect). */
  readonly document: unknown;
  readonly versions: readonly PolicyVersionState[];
  readonly attached: boolean;
  /** The value of its OWNER_TAG_KEY tag; undefined when it has none. */
  readonly ownerTag?: string;
  /** Users, roles and groups it is attached to (IAM's AttachmentCount), the target included. */
  readonly attachmentCount?: number;
}

/** What tells our policies from others at our path and names. */
export interface Ownership {
  /** ownerTagValue of this project and env. */
  readonly tag: string;
  /** By policy ARN, the documentHash of what attach last wrote (the guard's state). */
  readonly written?: Readonly<Record<string, string>>;
  /** --force: take over and change such policies anyway. */
  readonly force: boolean;
}

/** A policy at our path and name that is not ours to change as it is. */
export interface Conflict {
  readonly name: string;
  readonly arn: string;
  /** not-ours: no tag naming this project and env; changed-in-iam: its default version is not what we last wrote. */
  readonly reason: 'not-ours' | 'changed-in-iam';
  /** The tag it carries, if any. */
  readonly ownerTag?: string;
  /** Its default version now. */
  readonly current: unknown;
  /** What it would become; undefined when the plan would delete it. */
  readonly desired?: PolicyDocument;
  /** Identities other than the target it is attached to. */
  readonly attachedElsewhere: number;
  /** With --force the plan changes it anyway (and tags it as ours). */
  readonly takenOver: boolean;
}

export interface IamState {
  /** Who the policies are attached to; undefined for policies attach only creates and updates (a CDK execution role's). */
  readonly target?: AttachTarget;
  /** Our policies (POLICY_PATH, this project's and env's names). */
  readonly ours: readonly ExistingPolicy[];
  /** Managed policies attached to the target now, ours and others. */
  readonly attachedCount: number;
  /** Managed policies the target may have (GetAccountSummary), 10 by default. */
  readonly attachedQuota: number;
}

export type Step =
  | { readonly kind: 'create'; readonly name: string; readonly document: PolicyDocument }
  | {
      readonly kind: 'delete-version';
      readonly name: string;
      readonly arn: string;
      readonly versionId: string;
    }
  | {
      readonly kind: 'new-version';
      readonly name: string;
      readonly arn: string;
      readonly document: PolicyDocument;
    }
  | { readonly kind: 'tag'; readonly name: string; readonly arn: string }
  | { readonly kind: 'attach'; readonly name: string; readonly arn?: string }
  | { readonly kind: 'detach'; readonly name: string; readonly arn: string }
  | {
      readonly kind: 'delete-policy';
      readonly name: string;
      readonly arn: string;
      readonly versionIds: readonly string[];
    };

export interface Plan {
  /** Undefined: the policies are created and updated only, never attached (state.target). */
  readonly target?: AttachTarget;
  /** In the order they run: create and update, attach, then detach and delete what is surplus. */
  readonly steps: readonly Step[];
  readonly unchanged: readonly string[];
  /** Surplus policies of an unattached set left in place because something still uses them (attachments elsewhere). */
  readonly kept: ReadonlyArray<{ readonly name: string; readonly attachments: number }>;
  /** Managed policies the target will have once every attach has run (before surplus is detached). */
  readonly attachedAtMost: number;
  /** Policies at our path and names that are not ours as they are; without --force none is changed. */
  readonly conflicts: readonly Conflict[];
}

/**
 * What to change so the target has exactly the desired policies of this project and env:
 * create missing ones, add a version where the document differs (making room by deleting the
 * oldest non-default version when five exist), attach, and only then detach and delete our
 * policies a shorter split no longer needs. A policy at our path and name that lacks our tag,
 * or whose default version is not what we last wrote, is a conflict: its steps are left out
 * unless --force, which keeps them and tags it as ours. Without a target (state.target: a CDK
 * execution role's policies, which `cdk bootstrap` attaches) nothing is attached or detached,
 * and a surplus policy still attached somewhere is kept, not deleted. Pure: the same state
 * gives the same plan.
 */
export function planChanges(desired: readonly NamedPolicy[], state: IamState, ownership: Ownership): Plan {
  const byName = new Map(state.ours.map((p) => [p.name, p]));
  const early: Step[] = [];
  const attach: Step[] = [];
  const late: Step[] = [];
  const unchanged: string[] = [];
  const conflicts: Conflict[] = [];
  const kept: Array<{ name: string; attachments: number }> = [];
  const attaches = state.target !== undefined;
  /** Whether the steps that change `existing` may run; records the conflict when it is not ours. */
  const mayChange = (existing: ExistingPolicy, desiredDocument?: PolicyDocument): boolean => {
    const reason = conflictReason(existing, ownership);
    if (!reason) return true;
    conflicts.push({
      name: existing.name,
      arn: existing.arn,
      reason,
      ...(existing.ownerTag !== undefined ? { ownerTag: existing.ownerTag } : {}),
      current: existing.document,
      ...(desiredDocument ? { desired: desiredDocument } : {}),
      attachedElsewhere: Math.max(0, (existing.attachmentCount ?? 0) - (existing.attached ? 1 : 0)),
      takenOver: ownership.force,
    });
    if (ownership.force && reason === 'not-ours' && desiredDocument)
      early.push({ kind: 'tag', name: existing.name, arn: existing.arn });
    return ownership.force;
  };
  for (const policy of desired) {
    const existing = byName.get(policy.name);
    if (!existing) {
      early.push({ kind: 'create', name: policy.name, document: policy.document });
      if (attaches) attach.push({ kind: 'attach', name: policy.name });
      continue;
    }
    const same = sameDocument(existing.document, policy.document);
    if (same && (existing.attached || !attaches)) {
      unchanged.push(policy.name);
      continue;
    }
    if (!mayChange(existing, policy.document)) continue;
    if (!same) {
      if (existing.versions.length >= MAX_POLICY_VERSIONS) {
        const oldest = existing.versions
          .filter((v) => !v.isDefault)
          .sort((a, b) => compareText(a.created, b.created))[0];
        if (oldest)
          early.push({ kind: 'delete-version', name: policy.name, arn: existing.arn, versionId: oldest.id });
      }
      early.push({ kind: 'new-version', name: policy.name, arn: existing.arn, document: policy.document });
    }
    if (attaches && !existing.attached) attach.push({ kind: 'attach', name: policy.name, arn: existing.arn });
  }
  const wanted = new Set(desired.map((p) => p.name));
  for (const surplus of state.ours.filter((p) => !wanted.has(p.name))) {
    if (!attaches && (surplus.attachmentCount ?? 0) > 0) {
      kept.push({ name: surplus.name, attachments: surplus.attachmentCount ?? 0 });
      continue;
    }
    if (!mayChange(surplus)) continue;
    if (surplus.attached) late.push({ kind: 'detach', name: surplus.name, arn: surplus.arn });
    late.push({
      kind: 'delete-policy',
      name: surplus.name,
      arn: surplus.arn,
      versionIds: surplus.versions.filter((v) => !v.isDefault).map((v) => v.id),
    });
  }
  return {
    target: state.target,
    steps: [...early, ...attach, ...late],
    unchanged,
    kept,
    attachedAtMost: state.attachedCount + attach.length,
    conflicts,
  };
}

/** Why the policy is not ours to change as it is; undefined when it is. */
function conflictReason(existing: ExistingPolicy, ownership: Ownership): Conflict['reason'] | undefined {
  if (existing.ownerTag !== ownership.tag) return 'not-ours';
  const written = ownership.written?.[existing.arn];
  if (written !== undefined && written !== documentHash(existing.document)) return 'changed-in-iam';
  return undefined;
}

/** A hash of a policy document as IAM compares them (parsed JSON, keys in order): what the state records. */
export function documentHash(document: unknown): string {
  return crypto.createHash('sha256').update(canonical(document)).digest('hex');
}

/** The document as sorted, indented JSON lines (for the plan's diff). */
export function canonicalLines(document: unknown): string[] {
  return JSON.stringify(sortedKeys(document), null, 2).split('\n');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/** Compares documents as IAM would: parsed JSON, rendered the same way. */
export function sameDocument(current: unknown, desired: PolicyDocument): boolean {
  return canonical(current) === canonical(renderDocument(desired));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
