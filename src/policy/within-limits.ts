import { LeastPrivilegeError } from '../errors';
import type { Grant } from '../model';
import { assemblePolicies, type AssembledPolicies } from './assemble';
import { compactRegistry } from './compact-registry';
import type { Reach } from './merge-disjoint';
import type { NameRegistry } from './name-registry';
import type { ResourceTypesOf } from './sids';
import type { LimitProblem } from './split';

/**
 * How many names per name key an attempt keeps: the project's exact names first, then long
 * name lists folded into prefix patterns (fewer and fewer names per key, never shorter than
 * the project's prefixes) while the documents do not fit IAM's limits.
 */
export const NAME_BUDGETS: ReadonlyArray<number | undefined> = [undefined, 24, 8, 2];

/** What an attempt assembled, the registry it scoped with and the folds that made it. */
export type WithinLimits<T> = T &
  AssembledPolicies & { readonly folded: readonly string[]; readonly registry: NameRegistry };

/**
 * Grants the names of each budget in turn (NAME_BUDGETS) and keeps the first attempt whose
 * documents fit IAM's limits: a plain loop over budgets, every failure a problem value, not
 * an exception. When even the last does not fit, fails with why.
 */
export function assembleWithinLimits<T extends { readonly grants: readonly Grant[] }>(
  attempt: (registry: NameRegistry) => T,
  registry: NameRegistry,
  baseName: string,
  reach: Reach,
  anchors: readonly string[],
  resourceTypesOf?: ResourceTypesOf,
): WithinLimits<T> {
  let problem: LimitProblem | undefined;
  let folded: readonly string[] = [];
  for (const budget of NAME_BUDGETS) {
    const names =
      budget === undefined ? { registry, folded: [] } : compactRegistry(registry, budget, anchors);
    folded = names.folded;
    const granted = attempt(names.registry);
    const result = assemblePolicies(granted.grants, baseName, reach, resourceTypesOf);
    if ('assembled' in result) return { ...granted, ...result.assembled, ...names };
    problem = result.problem;
  }
  throw new LeastPrivilegeError(
    'limit',
    `${problem?.message} Long name lists were folded down to the project's own prefixes (${folded.join('; ') || 'nothing to fold'}); folding further would grant beyond the project.`,
    problem?.resolution ?? '',
  );
}
