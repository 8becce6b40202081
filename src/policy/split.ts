import type { Grant } from '../model';
import { covers } from './arn-patterns';
import { EMPTY_DOCUMENT_SIZE, statementSize } from './render';
import { statement as makeStatement, type DraftStatement } from './statements';
import { SID_ALLOWANCE } from './sids';

/** IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
export const MAX_MANAGED_POLICIES_PER_IDENTITY = 10;

/** Room for statements in one document: the limit minus the empty document (each statement also costs a comma). */
const roomFor = (maxCharacters: number): number => maxCharacters - EMPTY_DOCUMENT_SIZE;

/** Why the statements do not fit IAM's limits, and what the user can do. */
export interface LimitProblem {
  readonly message: string;
  readonly resolution: string;
}

/** Statements that fit, or why not. */
export type Fitted<T> = { readonly fits: T } | { readonly problem: LimitProblem };

/** Splits statements too big for one document into halves, by actions first, then by resources. */
export function splitOversized(
  drafts: readonly DraftStatement[],
  maxCharacters = MANAGED_POLICY_MAX_CHARACTERS,
): Fitted<DraftStatement[]> {
  const pieces: DraftStatement[] = [];
  for (const draft of drafts) {
    const problem = fitting(draft, roomFor(maxCharacters) - SID_ALLOWANCE, pieces);
    if (problem) return { problem };
  }
  return { fits: pieces };
}

/**
 * The fewest documents the statements can take, from their sizes alone (splitting only adds
 * characters): when even that is more than an identity may have, nothing needs splitting or
 * packing to know the statements do not fit.
 */
export function tooManyDocuments(
  drafts: readonly DraftStatement[],
  maxCharacters = MANAGED_POLICY_MAX_CHARACTERS,
  maxDocuments = MAX_MANAGED_POLICIES_PER_IDENTITY,
): LimitProblem | undefined {
  let total = 0;
  for (const { statement } of drafts) total += statementSize(statement) + 1;
  const fewest = Math.ceil(total / (roomFor(maxCharacters) + 1));
  return fewest > maxDocuments ? tooMany(`at least ${fewest}`, maxCharacters, maxDocuments) : undefined;
}

const tooMany = (count: string, maxCharacters: number, maxDocuments: number): LimitProblem => ({
  message: `The policy needs ${count} managed policies of at most ${maxCharacters} characters; one identity can have ${maxDocuments} attached.`,
  resolution:
    'Generate for fewer phases (--phases push), or split the project into smaller Amplify projects.',
});

/**
 * Packs statements into as few documents as fit under the managed-policy size (first fit,
 * largest first); a problem when more documents would be needed than one identity can have
 * attached.
 */
export function packDocuments(
  drafts: readonly DraftStatement[],
  maxCharacters = MANAGED_POLICY_MAX_CHARACTERS,
  maxDocuments = MAX_MANAGED_POLICIES_PER_IDENTITY,
): Fitted<DraftStatement[][]> {
  const sized = drafts.map((draft) => ({ draft, size: statementSize(draft.statement) }));
  const bins: DraftStatement[][] = [];
  firstFit(
    sized.map((s) => s.size),
    maxCharacters,
  ).forEach((bin, i) => (bins[bin] ??= []).push(sized[i].draft));
  if (bins.length > maxDocuments)
    return { problem: tooMany(String(bins.length), maxCharacters, maxDocuments) };
  return { fits: bins };
}

/** The documents packDocuments makes of statements of these sizes (each without its comma). */
export const documentsFor = (
  sizes: readonly number[],
  maxCharacters = MANAGED_POLICY_MAX_CHARACTERS,
): number => new Set(firstFit(sizes, maxCharacters)).size;

/** First fit, largest first: the document of each statement, by its size. */
function firstFit(sizes: readonly number[], maxCharacters: number): number[] {
  const room = roomFor(maxCharacters);
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const free: number[] = [];
  const binOf: number[] = [];
  for (const i of order) {
    const size = sizes[i] + 1;
    let bin = free.findIndex((f) => f >= size);
    if (bin < 0) {
      bin = free.length;
      free.push(room + 1);
    }
    free[bin] -= size;
    binOf[i] = bin;
  }
  return binOf;
}

/** Appends the draft, or its halves, to `pieces`; a problem when one action on one resource is too big. */
function fitting(draft: DraftStatement, room: number, pieces: DraftStatement[]): LimitProblem | undefined {
  if (statementSize(draft.statement) <= room) {
    pieces.push(draft);
    return undefined;
  }
  const { Action: actions, Resource: resources, Condition: condition } = draft.statement;
  let halves: [DraftStatement, DraftStatement];
  if (actions.length > 1) {
    const first = actions.slice(0, Math.ceil(actions.length / 2));
    const inFirst = new Set(first);
    halves = [
      half(first, resources, condition, draft.grants, (g) => inFirst.has(g.action)),
      half(actions.slice(first.length), resources, condition, draft.grants, (g) => !inFirst.has(g.action)),
    ];
  } else if (resources.length > 1) {
    const first = resources.slice(0, Math.ceil(resources.length / 2));
    const [inFirstHalf, inSecondHalf] = [new Set(first), new Set(resources.slice(first.length))];
    // A grant's resource is in the statement, or covered by a wider pattern of it (rare).
    const inFirst = (g: Grant): boolean =>
      inFirstHalf.has(g.resource) ||
      (!inSecondHalf.has(g.resource) && first.some((pattern) => covers(pattern, g.resource)));
    halves = [
      half(actions, first, condition, draft.grants, inFirst),
      half(actions, resources.slice(first.length), condition, draft.grants, (g) => !inFirst(g)),
    ];
  } else {
    return {
      message: `A single statement for ${actions[0]} on ${resources[0]} is larger than a managed policy (${room} characters).`,
      resolution: 'Shorten the resource names in the templates.',
    };
  }
  return fitting(halves[0], room, pieces) ?? fitting(halves[1], room, pieces);
}

const half = (
  actions: readonly string[],
  resources: readonly string[],
  condition: DraftStatement['statement']['Condition'],
  grants: readonly Grant[],
  keep: (grant: Grant) => boolean,
): DraftStatement => ({
  statement: makeStatement(actions, resources, condition),
  grants: grants.filter(keep),
});
