import type { NamedPolicy, PolicyDocument, Statement } from '../model';
import type { ScopedRequirement } from './scope';
import { mergeAcrossResourceTypes, type Reach } from './merge-disjoint';
import { documentSize } from './render';
import { assignSids } from './sids';
import { packDocuments, splitOversized } from './split';
import { compareActions, groupStatements } from './statements';

/**
 * From scoped requirements to named documents: group and merge into statements, merge
 * statements whose actions cannot reach each other's resources, split the ones too big for a
 * document, name them, pack them under the size limit, order them. Same input, same output,
 * byte for byte.
 */
export function assemblePolicies(
  scoped: readonly ScopedRequirement[],
  baseName: string,
  reach: Reach,
): NamedPolicy[] {
  const merged = mergeAcrossResourceTypes(groupStatements(scoped), reach);
  const statements = assignSids(splitOversized(merged).sort(compareStatements));
  return packDocuments(statements).map((document, index) => named(sortedDocument(document), baseName, index));
}

export function policyName(baseName: string, index: number): string {
  return index === 0 ? baseName : `${baseName}-${index + 1}`;
}

function named(document: PolicyDocument, baseName: string, index: number): NamedPolicy {
  return { name: policyName(baseName, index), document, characters: documentSize(document) };
}

const sortedDocument = (document: PolicyDocument): PolicyDocument => ({
  Version: document.Version,
  Statement: [...document.Statement].sort(compareStatements),
});

/** Unconditioned statements first, then by first action and first resource. */
function compareStatements(a: Statement, b: Statement): number {
  return (
    Number(a.Condition !== undefined) - Number(b.Condition !== undefined) ||
    compareActions(a.Action[0], b.Action[0]) ||
    a.Resource[0].localeCompare(b.Resource[0]) ||
    JSON.stringify(a).localeCompare(JSON.stringify(b))
  );
}
