import { LeastPrivilegeError } from '../errors';
import type { PolicyDocument, Statement } from '../model';
import { EMPTY_DOCUMENT_SIZE, statementSize } from './render';
import { statement as makeStatement } from './statements';

/** IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
export const MAX_MANAGED_POLICIES_PER_IDENTITY = 10;

/** Room for statements in one document: the limit minus the empty document (each statement also costs a comma). */
const roomFor = (maxCharacters: number): number => maxCharacters - EMPTY_DOCUMENT_SIZE;
/** Room a statement's own JSON may take, leaving room for its Sid (at most this long) and comma. */
const SID_ALLOWANCE = 40;

/** Splits statements too big for one document into halves, by actions first, then by resources. */
export function splitOversized(
  statements: readonly Statement[],
  maxCharacters = MANAGED_POLICY_MAX_CHARACTERS,
): Statement[] {
  return statements.flatMap((s) => fitting(s, roomFor(maxCharacters) - SID_ALLOWANCE));
}

/**
 * Packs statements into as few documents as fit under the managed-policy size (first fit,
 * largest first). Throws when more documents would be needed than one identity can have attached.
 */
export function packDocuments(
  statements: readonly Statement[],
  maxCharacters = MANAGED_POLICY_MAX_CHARACTERS,
  maxDocuments = MAX_MANAGED_POLICIES_PER_IDENTITY,
): PolicyDocument[] {
  const room = roomFor(maxCharacters);
  const sized = statements
    .map((s) => ({ statement: s, size: statementSize(s) + 1 }))
    .sort((a, b) => b.size - a.size);
  const bins: Array<{ statements: Statement[]; free: number }> = [];
  for (const { statement, size } of sized) {
    const bin = bins.find((b) => b.free >= size);
    if (bin) {
      bin.statements.push(statement);
      bin.free -= size;
    } else {
      bins.push({ statements: [statement], free: room + 1 - size });
    }
  }
  if (bins.length > maxDocuments) {
    throw new LeastPrivilegeError(
      'limit',
      `The policy needs ${bins.length} managed policies of at most ${maxCharacters} characters; one identity can have ${maxDocuments} attached.`,
      'Generate for fewer phases (--phases push), or split the project into smaller Amplify projects.',
    );
  }
  return bins.map((bin) => ({ Version: '2012-10-17', Statement: bin.statements }));
}

function fitting(statement: Statement, room: number): Statement[] {
  if (statementSize(statement) <= room) return [statement];
  const { Action: actions, Resource: resources, Condition: condition } = statement;
  if (actions.length > 1) {
    const half = Math.ceil(actions.length / 2);
    return [
      makeStatement(actions.slice(0, half), resources, condition),
      makeStatement(actions.slice(half), resources, condition),
    ].flatMap((s) => fitting(s, room));
  }
  if (resources.length > 1) {
    const half = Math.ceil(resources.length / 2);
    return [
      makeStatement(actions, resources.slice(0, half), condition),
      makeStatement(actions, resources.slice(half), condition),
    ].flatMap((s) => fitting(s, room));
  }
  throw new LeastPrivilegeError(
    'limit',
    `A single statement for ${actions[0]} on ${resources[0]} is larger than a managed policy (${room} characters).`,
    'Shorten the resource names in the templates.',
  );
}
