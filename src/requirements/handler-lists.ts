import { ADDITIONS_FILE, HANDLERS_DIR, serviceFileName } from '../catalog/catalog';
import type { Catalog, HandlerOperation } from '../catalog/schemas';

/**
 * A resource type's handler lists as IAM actions (the registry's, corrected, plus the curated
 * additions), and what one phase needs of them: made once per type and trims, shared by
 * every resource of the type.
 */

/** Actions on service-linked roles: granted on the roles data/service-linked-roles.json names. */
export const SERVICE_LINKED_ROLE_ACTIONS = ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole'];

export interface ListedAction {
  readonly action: string;
  /** The action in lower case (IAM action names are case-insensitive). */
  readonly lower: string;
  readonly listed: string;
  readonly note?: string;
  readonly source: string;
  /** The source a reason names. */
  readonly reasonSource: string;
  /** What a reason's detail says after its summary: a correction's note, a curated addition. */
  readonly detailEnd: string;
  /** iam:CreateServiceLinkedRole or iam:DeleteServiceLinkedRole: granted on the roles themselves. */
  readonly serviceLinkedRole: boolean;
}

export type PreparedLists = Partial<Record<HandlerOperation, readonly ListedAction[]>> & {
  /** Every action the lists name, in lower case. */
  readonly listedNames: ReadonlySet<string>;
};

/**
 * What one phase needs of a type's lists: one entry per action and source, naming every
 * operation that lists it, with the reason's texts (shared by every resource of the type).
 */
export type PhasePlan = ReadonlyArray<{
  readonly listed: ListedAction;
  readonly operations: readonly HandlerOperation[];
  /** `AWS::Lambda::Function create/update handler`. */
  readonly summary: string;
  readonly detail: string;
}>;

export function planPhase(
  type: string,
  lists: PreparedLists,
  operations: readonly HandlerOperation[],
  noDelete: boolean,
  trim: ReadonlyMap<string, string>,
): PhasePlan {
  const byAction = new Map<string, { listed: ListedAction; operations: HandlerOperation[] }>();
  for (const operation of operations) {
    if (operation === 'delete' && noDelete) continue;
    for (const listed of lists[operation] ?? []) {
      if (trim.has(listed.lower)) continue;
      const key = `${listed.action} ${listed.source}`;
      const seen = byAction.get(key);
      if (seen) {
        if (!seen.operations.includes(operation)) seen.operations.push(operation);
      } else byAction.set(key, { listed, operations: [operation] });
    }
  }
  return [...byAction.values()].map(({ listed, operations: ops }) => {
    const summary = `${type} ${ops.join('/')} handler`;
    return { listed, operations: ops, summary, detail: summary + listed.detailEnd };
  });
}

/**
 * A type's handler lists as IAM actions: the registry's names and the curated additions, each
 * with the file it comes from, corrections and wildcards applied. Undefined: no handler list.
 */
export function prepareLists(handlerType: string, catalog: Catalog): PreparedLists | undefined {
  const handlers = catalog.resourceTypes.get(handlerType)?.handlers;
  if (!handlers) return undefined;
  const source = `data/${HANDLERS_DIR}/${serviceFileName(handlerType)}`;
  type Named = Array<{ name: string; source: string }>;
  const names: Partial<Record<HandlerOperation, Named>> = {};
  for (const [operation, listed] of Object.entries(handlers) as Array<[HandlerOperation, readonly string[]]>)
    names[operation] = listed.map((name) => ({ name, source }));
  // Additions authorized on an ARN of their own are requirements of their own (handler-requirements).
  for (const addition of (catalog.handlerAdditions[handlerType] ?? []).filter((a) => !a.resource))
    for (const operation of addition.operations)
      for (const name of addition.actions)
        if (!(names[operation] ??= []).some((l) => l.name === name))
          names[operation].push({ name, source: ADDITIONS_FILE });
  const lists: Partial<Record<HandlerOperation, readonly ListedAction[]>> = {};
  const listedNames = new Set<string>();
  for (const [operation, listed] of Object.entries(names) as Array<[HandlerOperation, Named]>)
    lists[operation] = listed.flatMap(({ name, source: from }) => {
      const correction = catalog.correction(name);
      const actions = correction ? correction.actions : [name];
      return actions.map((action) => {
        listedNames.add(action.toLowerCase());
        const note = correction?.note;
        return {
          action,
          lower: action.toLowerCase(),
          listed: name,
          ...(note ? { note } : {}),
          source: from,
          reasonSource: from === ADDITIONS_FILE ? `data/${ADDITIONS_FILE}` : from,
          detailEnd:
            (note ? ` (lists ${name}: ${note})` : '') +
            (from === ADDITIONS_FILE ? ` (not in the registry's list: ${name})` : ''),
          serviceLinkedRole: SERVICE_LINKED_ROLE_ACTIONS.some(
            (a) => a.toLowerCase() === action.toLowerCase(),
          ),
        };
      });
    });
  return { ...lists, listedNames };
}
