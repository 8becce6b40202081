import type { NamedPolicy, PolicyDocument } from '../model';
import { renderDocument } from '../policy/render';
import type { AttachTarget } from './identity';

/** Where our policies live in IAM: only policies under this path, with our names, are ever touched. */
export const POLICY_PATH = '/amplify-least-privilege/';
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
}

export interface IamState {
  readonly target: AttachTarget;
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
  | { readonly kind: 'attach'; readonly name: string; readonly arn?: string }
  | { readonly kind: 'detach'; readonly name: string; readonly arn: string }
  | {
      readonly kind: 'delete-policy';
      readonly name: string;
      readonly arn: string;
      readonly versionIds: readonly string[];
    };

export interface Plan {
  readonly target: AttachTarget;
  /** In the order they run: create and update, attach, then detach and delete what is surplus. */
  readonly steps: readonly Step[];
  readonly unchanged: readonly string[];
  /** Managed policies the target will have once every attach has run (before surplus is detached). */
  readonly attachedAtMost: number;
}

/**
 * What to change so the target has exactly the desired policies of this project and env:
 * create missing ones, add a version where the document differs (making room by deleting the
 * oldest non-default version when five exist), attach, and only then detach and delete our
 * policies a shorter split no longer needs. Pure: the same state gives the same plan.
 */
export function planChanges(desired: readonly NamedPolicy[], state: IamState): Plan {
  const byName = new Map(state.ours.map((p) => [p.name, p]));
  const early: Step[] = [];
  const attach: Step[] = [];
  const late: Step[] = [];
  const unchanged: string[] = [];
  for (const policy of desired) {
    const existing = byName.get(policy.name);
    if (!existing) {
      early.push({ kind: 'create', name: policy.name, document: policy.document });
      attach.push({ kind: 'attach', name: policy.name });
      continue;
    }
    if (!sameDocument(existing.document, policy.document)) {
      if (existing.versions.length >= MAX_POLICY_VERSIONS) {
        const oldest = existing.versions
          .filter((v) => !v.isDefault)
          .sort((a, b) => a.created.localeCompare(b.created))[0];
        if (oldest)
          early.push({ kind: 'delete-version', name: policy.name, arn: existing.arn, versionId: oldest.id });
      }
      early.push({ kind: 'new-version', name: policy.name, arn: existing.arn, document: policy.document });
    } else if (existing.attached) {
      unchanged.push(policy.name);
    }
    if (!existing.attached) attach.push({ kind: 'attach', name: policy.name, arn: existing.arn });
  }
  const wanted = new Set(desired.map((p) => p.name));
  for (const surplus of state.ours.filter((p) => !wanted.has(p.name))) {
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
    attachedAtMost: state.attachedCount + attach.length,
  };
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
