import type { Grant, NamedPolicy, PolicyDocument, Statement } from '../model';
import { mergeAcrossResourceTypes, type Reach } from './merge-disjoint';
import { documentSize } from './render';
import { assignSids } from './sids';
import { packDocuments, splitOversized, tooManyDocuments, type LimitProblem } from './split';
import { compareActions, groupStatements, type DraftStatement } from './statements';

/**
 * For each policy, for each of its statements (in document order): the grants the statement
 * allows. A grant's origins are the requirements that need it: the way back from a statement
 * to the resources, phases and data that put it there.
 */
export type PolicyOrigins = ReadonlyArray<ReadonlyArray<readonly Grant[]>>;

export interface AssembledPolicies {
  readonly policies: readonly NamedPolicy[];
  readonly origins: PolicyOrigins;
}

/**
 * From grants to named documents: group and merge into statements, merge statements whose
 * actions cannot reach each other's resources, split the ones too big for a document, name
 * them, pack them under the size limit, order them. Same input, same output, byte for byte.
 * Statements that do not fit IAM's limits are a problem, not an exception: the caller decides
 * whether to try again with fewer names.
 */
export function assemblePolicies(
  grants: readonly Grant[],
  baseName: string,
  reach: Reach,
): { readonly assembled: AssembledPolicies } | { readonly problem: LimitProblem } {
  const merged = mergeAcrossResourceTypes(groupStatements(grants), reach);
  const tooMany = tooManyDocuments(merged);
  if (tooMany) return { problem: tooMany };
  const split = splitOversized(merged);
  if ('problem' in split) return split;
  const ordered = split.fits.sort((a, b) => compareStatements(a.statement, b.statement));
  const named = assignSids(ordered.map((d) => d.statement)).map((statement, i): DraftStatement => ({
    statement,
    grants: ordered[i].grants,
  }));
  const packed = packDocuments(named);
  if ('problem' in packed) return packed;
  const documents = packed.fits.map((drafts) =>
    [...drafts].sort((a, b) => compareStatements(a.statement, b.statement)),
  );
  return {
    assembled: {
      policies: documents.map((drafts, index) =>
        namedPolicy({ Version: '2012-10-17', Statement: drafts.map((d) => d.statement) }, baseName, index),
      ),
      origins: documents.map((drafts) => drafts.map((d) => d.grants)),
    },
  };
}

export function policyName(baseName: string, index: number): string {
  return index === 0 ? baseName : `${baseName}-${index + 1}`;
}

function namedPolicy(document: PolicyDocument, baseName: string, index: number): NamedPolicy {
  return { name: policyName(baseName, index), document, characters: documentSize(document) };
}

/** Unconditioned statements first, then by first action and first resource. */
function compareStatements(a: Statement, b: Statement): number {
  return (
    Number(a.Condition !== undefined) - Number(b.Condition !== undefined) ||
    compareActions(a.Action[0], b.Action[0]) ||
    a.Resource[0].localeCompare(b.Resource[0]) ||
    JSON.stringify(a).localeCompare(JSON.stringify(b))
  );
}
