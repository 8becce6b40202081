import type { Grant, NamedPolicy, PolicyDocument, Statement } from '../model';
import { mergeAcrossResourceTypes, MAX_MERGED_STATEMENT_SIZE, type Reach } from './merge-disjoint';
import { mergeServicesWhereNeeded } from './merge-services';
import { documentSize, statementSize } from './render';
import { assignSids, sidNamer, sidRoom, type ResourceTypesOf, type SidNamer } from './sids';
import { documentsFor, packDocuments, splitOversized, tooManyDocuments, type LimitProblem } from './split';
import {
  compareActions,
  groupStatements,
  mergeStatements,
  servicesOf,
  type DraftStatement,
} from './statements';
import { compareText } from '../text-order';

/**
 * For each policy, for each of its statements (in document order): the grants the statement
 * allows. A grant's origins are the requirements that need it: the way back from a statement
 * to the resources, phases and data that put it there.
 */
export type PolicyOrigins = ReadonlyArray<ReadonlyArray<readonly Grant[]>>;

/**
 * Statements hold several services because one service per statement needs more managed
 * policies: how many (undefined: more than one identity can have attached).
 */
export interface ServicesMerged {
  readonly documentsWithOneService?: number;
}

export interface AssembledPolicies {
  readonly policies: readonly NamedPolicy[];
  readonly origins: PolicyOrigins;
  /** Set when some statements hold more than one service to fit fewer documents. */
  readonly servicesMerged?: ServicesMerged;
}

/**
 * From grants to named documents: group and merge into statements of one service each, merge
 * statements whose actions cannot reach each other's resources, split the ones too big for a
 * document, name them, pack them under the size limit, order them. Statements of different
 * services merge only when one service per statement would need more documents than merging
 * them freely, and then only until it does not (mergeServicesWhereNeeded). Same input, same
 * output, byte for byte. Statements that do not fit IAM's limits are a problem, not an
 * exception: the caller decides whether to try again with fewer names.
 */
export function assemblePolicies(
  grants: readonly Grant[],
  baseName: string,
  reach: Reach,
  resourceTypesOf: ResourceTypesOf = () => [],
): { readonly assembled: AssembledPolicies } | { readonly problem: LimitProblem } {
  const namer = sidNamer(resourceTypesOf);
  const arrange = (drafts: readonly DraftStatement[]): Arranged => arrangeDocuments(drafts, namer);
  const grouped = groupStatements(grants);
  const ownMerged = mergeAcrossResourceTypes(grouped, reach, MAX_MERGED_STATEMENT_SIZE, true);
  const own = arrange(ownMerged);
  const ownCount = 'documents' in own ? own.documents.length : undefined;
  if (ownCount === 1) return named(own, baseName);
  const mixedMerged = mergeAcrossResourceTypes(mergeStatements(grouped, true), reach);
  // The documents with services merged freely: what merging services may bring the count down to.
  const target = estimatedDocuments(mixedMerged, namer);
  if (ownCount !== undefined && ownCount <= target) return named(own, baseName);
  const servicesMerged = { documentsWithOneService: ownCount };
  const pieces = splitOversized(ownMerged);
  const partial =
    'fits' in pieces
      ? mergeServicesWhereNeeded(pieces.fits, reach, (d) => sidRoom(namer(d.statement, d.grants)), target)
      : undefined;
  const fewer = partial && arrange(partial);
  if (fewer && 'documents' in fewer && fewer.documents.length <= target)
    return named(fewer, baseName, servicesMerged);
  const mixed = arrange(mixedMerged);
  if ('problem' in mixed) return ownCount !== undefined ? named(own, baseName) : mixed;
  if (ownCount !== undefined && ownCount <= mixed.documents.length) return named(own, baseName);
  return named(mixed, baseName, servicesMerged);
}

/** Statements arranged into documents (named, packed, ordered), or why they do not fit. */
type Arranged = { readonly documents: DraftStatement[][] } | { readonly problem: LimitProblem };

function arrangeDocuments(drafts: readonly DraftStatement[], namer: SidNamer): Arranged {
  const tooMany = tooManyDocuments(drafts);
  if (tooMany) return { problem: tooMany };
  const split = splitOversized(drafts);
  if ('problem' in split) return split;
  const ordered = split.fits.sort((a, b) => compareStatements(a.statement, b.statement));
  const sids = assignSids(
    ordered.map((d) => d.statement),
    ordered.map((d) => d.grants),
    namer,
  );
  const packed = packDocuments(ordered.map((d, i) => ({ statement: sids[i], grants: d.grants })));
  if ('problem' in packed) return packed;
  return {
    documents: packed.fits.map((drafts) =>
      [...drafts].sort((a, b) => compareStatements(a.statement, b.statement)),
    ),
  };
}

/** The documents the statements would take once named (never fewer than they take). */
const estimatedDocuments = (drafts: readonly DraftStatement[], namer: SidNamer): number =>
  documentsFor(drafts.map((d) => statementSize(d.statement) + sidRoom(namer(d.statement, d.grants))));

function named(
  arranged: Arranged,
  baseName: string,
  servicesMerged?: ServicesMerged,
): { readonly assembled: AssembledPolicies } | { readonly problem: LimitProblem } {
  if ('problem' in arranged) return arranged;
  const mixed = arranged.documents.some((drafts) => drafts.some((d) => servicesOf(d.statement).length > 1));
  return {
    assembled: {
      policies: arranged.documents.map((drafts, index) =>
        namedPolicy({ Version: '2012-10-17', Statement: drafts.map((d) => d.statement) }, baseName, index),
      ),
      origins: arranged.documents.map((drafts) => drafts.map((d) => d.grants)),
      ...(mixed && servicesMerged ? { servicesMerged } : {}),
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
    compareText(a.Resource[0], b.Resource[0]) ||
    compareText(JSON.stringify(a), JSON.stringify(b))
  );
}
