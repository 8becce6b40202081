import type { Predicate } from './schemas';

/** What a `when` predicate of the data files is evaluated against. */
export interface PredicateSubject {
  readonly entries: ReadonlyArray<{ category: string; service: string; imported: boolean }>;
  readonly features: readonly string[];
}

/**
 * True when some resource of the project matches every resource field of the predicate
 * (categories, services, imported) and the project has one of its features.
 */
export function matches(when: Predicate | undefined, subject: PredicateSubject): boolean {
  if (!when) return true;
  if (when.features && !when.features.some((feature) => subject.features.includes(feature))) return false;
  const constrainsResources = when.categories || when.services || when.imported !== undefined;
  if (!constrainsResources) return true;
  return subject.entries.some(
    (entry) =>
      (!when.categories || when.categories.includes(entry.category)) &&
      (!when.services || when.services.includes(`${entry.category}:${entry.service}`)) &&
      (when.imported === undefined || when.imported === entry.imported),
  );
}
