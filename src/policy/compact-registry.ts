import { withoutCovered } from './arn-patterns';
import { foldNames } from './fold-names';
import type { NameRegistry } from './name-registry';

/**
 * A registry whose name lists longer than `maxNames` are folded into prefix patterns
 * (`fn1-dev`, `fn2-dev` → `fn*-dev`; see fold-names), the same fold for every type that shares
 * a name key. Wider, still tied to the project's names; used only when the exact names do not
 * fit IAM's size limits. `anchors` are the stack-name prefixes a fold may not cut short.
 */
export function compactRegistry(
  registry: NameRegistry,
  maxNames: number,
  anchors: readonly string[],
): { registry: NameRegistry; folded: string[] } {
  const folded: string[] = [];
  const names = new Map<string, readonly string[]>();
  const causes = new Map(registry.causes);
  const mapping = new Map<string, ReadonlyMap<string, string>>();
  for (const [key, list] of registry.names) {
    const groups = list.length > maxNames ? foldNames(list, maxNames, anchors) : [];
    const byName = new Map<string, string>();
    for (const group of groups) {
      if (group.members.length < 2) continue;
      group.members.forEach((member) => byName.set(member, group.pattern));
      const line = `${group.members.length} names (${key.replace('|', ' ')}) → ${group.pattern}`;
      folded.push(line);
      causes.set(`${key}|${group.pattern}`, `folded to fit IAM's size limits: ${group.members.join(', ')}`);
    }
    mapping.set(key, byName);
    names.set(key, withoutCovered(list.map((name) => byName.get(name) ?? name)));
  }
  const byType = new Map(
    [...registry.byType].map(([type, entry]) => {
      const byName = mapping.get(entry.keys[0] ?? '');
      return [type, { ...entry, names: withoutCovered(entry.names.map((n) => byName?.get(n) ?? n)) }];
    }),
  );
  const byResource = new Map(
    [...registry.byResource].map(([owner, list]) => {
      const type = owner.slice(owner.indexOf('\n') + 1);
      const byName = mapping.get(registry.byType.get(type)?.keys[0] ?? '');
      return [owner, withoutCovered(list.map((n) => byName?.get(n) ?? n))];
    }),
  );
  return { registry: { ...registry, names, byType, byResource, causes }, folded };
}
