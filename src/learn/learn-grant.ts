/**
 * From a denial to the grant `learn` records: the IAM action that authorizes the denied call,
 * and the resource, exactly as the message names it, or, when the message names none (the
 * older `API: x Access Denied` form), the project's own ARN patterns for the failing resource.
 * Each resource is checked against the project's envelope (policy/envelope.ts); the command refuses what is
 * outside unless --allow-outside.
 */
import fs = require('node:fs');
import path = require('node:path');
import type { ConditionBlock, Inventory, InventoryResource, ProjectContext } from '../model';
import { projectError, usageError } from '../errors';
import { deploymentNames } from '../discovery/deployment-names';
import { covers } from '../policy/arn-patterns';
import { placeOf, type HandWrittenScope, type PlaceCheck } from '../policy/envelope';
import type { IamReference } from '../policy/iam-reference';
import { arnsForAction } from '../policy/arns-for-action';
import { buildNameRegistry } from '../policy/name-registry';
import { DATA_DIR } from '../catalog/catalog';
import type { Catalog } from '../catalog/schemas';
import { fixableByIdentityPolicy, unfixableAdvice, type Denial } from './parse-denial';
import { compareText } from '../text-order';

export interface LearnContext {
  readonly context: ProjectContext;
  readonly inventory: Inventory;
  readonly catalog: Catalog;
  /** Must know the denied actions and their corrections (see learnActions). */
  readonly iam: IamReference;
  /** The project's envelope and own names: what a grant must lie inside. */
  readonly envelope: HandWrittenScope;
}

export interface ProposedGrant {
  readonly denial: Denial;
  /** IAM actions that authorize the denied call (usually the one the message names). */
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: ConditionBlock;
  /** How the resources were chosen, for the user. */
  readonly resourceNote: string;
  /** One per resource. */
  readonly places: readonly PlaceCheck[];
}

interface ApiNames {
  readonly apis: Readonly<Record<string, { readonly actions: readonly string[]; readonly note: string }>>;
}
let apiNames: ApiNames | undefined;
const deniedApiActions = (): ApiNames['apis'] =>
  (apiNames ??= JSON.parse(
    fs.readFileSync(path.join(DATA_DIR, 'denied-api-actions.json'), 'utf8'),
  ) as ApiNames).apis;

/** Every action name a denial may map to: the IAM reference is loaded for them. */
export function learnActions(denials: readonly Denial[], catalog: Catalog): string[] {
  return denials.flatMap((d) => [
    d.action,
    ...(deniedApiActions()[d.action]?.actions ?? []),
    ...(catalog.actionCorrections[d.action]?.actions ?? []),
  ]);
}

export function proposeGrant(denial: Denial, learn: LearnContext, explicitResource?: string): ProposedGrant {
  if (!fixableByIdentityPolicy(denial))
    throw projectError(
      `${denial.action} was denied ${denial.because ?? ''}: adding it to the deployer's policy would not help.`,
      unfixableAdvice(denial),
    );
  const actions = iamActions(denial.action, learn);
  const wildcardOnly = actions.every((a) => (learn.iam.action(a)?.resourceTypes.length ?? 0) === 0);
  const { resources, note } = chooseResources(denial, actions, learn, explicitResource, wildcardOnly);
  const condition = wildcardOnly ? regionCondition(actions[0], learn) : undefined;
  const places = resources.map((resource) =>
    wildcardOnly && resource === '*'
      ? { inside: true, reason: 'IAM has no resource type for this action: Resource must be *' }
      : (actions
          .map((action) => placeOf(action, resource, learn.iam, learn.envelope))
          .find((check) => !check.inside) ?? { inside: true }),
  );
  return { denial, actions, resources, ...(condition ? { condition } : {}), resourceNote: note, places };
}

/** The IAM action(s) for a denied name: itself when IAM knows it, else the curated mapping. */
function iamActions(name: string, learn: LearnContext): string[] {
  const known = learn.iam.action(name);
  if (known) return [known.name];
  const mapped = deniedApiActions()[name]?.actions ?? learn.catalog.actionCorrections[name]?.actions ?? [];
  const actions = mapped.map((a) => learn.iam.action(a)?.name).filter((a): a is string => !!a);
  if (actions.length > 0) return actions;
  throw projectError(
    `${name} is not an IAM action, and learn does not know which IAM action authorizes it.`,
    `Find the action in the Service Authorization Reference and add a grant by hand to amplify/least-privilege/overrides.json (see the README, "The overrides file").`,
  );
}

function chooseResources(
  denial: Denial,
  actions: readonly string[],
  learn: LearnContext,
  explicitResource: string | undefined,
  wildcardOnly: boolean,
): { resources: string[]; note: string } {
  if (explicitResource !== undefined)
    return { resources: [explicitResource], note: 'as given with --resource' };
  if (wildcardOnly) return { resources: ['*'], note: 'IAM has no resource type for this action' };
  const failing = denial.failingResource ? findFailing(denial, learn.inventory) : undefined;
  if (denial.resource !== undefined) {
    if (!denial.resource.startsWith('arn:'))
      throw usageError(
        `The message names the resource as ${denial.resource}, which is not an ARN.`,
        'Pass the resource ARN with --resource ARN.',
      );
    // A generated name (random suffix) changes on the next attempt: the project's pattern for it covers both.
    const covering = failing
      ? projectArns(actions, failing, learn).filter((p) => p !== '*' && covers(p, denial.resource ?? ''))
      : [];
    if (covering.length > 0 && !covering.includes(denial.resource))
      return {
        resources: [narrowest(covering)],
        note: `the project's pattern for ${denial.failingResource?.logicalId}, which covers the denied ${denial.resource}`,
      };
    return { resources: [denial.resource], note: 'as named in the message' };
  }
  if (failing) {
    const arns = projectArns(actions, failing, learn);
    if (arns.length > 0 && !arns.includes('*'))
      return { resources: arns, note: `the project's ARNs for ${describeFailing(denial)}` };
  }
  const hints = [...new Set(actions.flatMap((a) => projectArnsFor(a, learn.inventory.resources, learn)))]
    .filter((arn) => arn !== '*')
    .slice(0, 8);
  throw usageError(
    `The message does not name the resource ${denial.action} was denied on${
      denial.failingResource
        ? `, and ${describeFailing(denial)} is not a resource of this project's templates`
        : ''
    }.`,
    `Pass it with --resource ARN${hints.length ? `; this project's ARNs for ${actions.join(', ')}: ${hints.join(', ')}` : ''}.`,
  );
}

/** The inventory resource holding the failing logical id (of that type; in that stack when several match). */
function findFailing(
  denial: Denial,
  inventory: Inventory,
): { owner: InventoryResource; logicalId: string } | undefined {
  const failing = denial.failingResource;
  if (!failing) return undefined;
  const owners = inventory.resources.filter((r) =>
    r.cfnResources.some(
      (c) => c.logicalId === failing.logicalId && (!failing.type || c.type === failing.type),
    ),
  );
  const inStack = failing.stack
    ? owners.filter((r) => failing.stack?.includes(`-${r.category}${r.name}-`) || failing.stack === r.name)
    : [];
  const chosen = inStack.length === 1 ? inStack : owners;
  return chosen.length === 1 ? { owner: chosen[0], logicalId: failing.logicalId } : undefined;
}

function projectArns(
  actions: readonly string[],
  failing: { owner: InventoryResource; logicalId: string },
  learn: LearnContext,
): string[] {
  const only: InventoryResource = {
    ...failing.owner,
    cfnResources: failing.owner.cfnResources.filter((c) => c.logicalId === failing.logicalId),
  };
  return [...new Set(actions.flatMap((action) => projectArnsFor(action, [only], learn)))];
}

function projectArnsFor(
  action: string,
  resources: readonly InventoryResource[],
  learn: LearnContext,
): string[] {
  const registry = buildNameRegistry(
    { resources, features: [], warnings: [], changes: [] },
    learn.catalog,
    learn.iam,
  );
  return arnsForAction(action, learn.iam, registry, deploymentNames(learn.context));
}

/** The pattern with the most literal characters. */
const narrowest = (patterns: readonly string[]): string =>
  [...patterns].sort(
    (a, b) => b.replace(/\*/g, '').length - a.replace(/\*/g, '').length || compareText(a, b),
  )[0];

const describeFailing = (denial: Denial): string =>
  `${denial.failingResource?.logicalId}${denial.failingResource?.type ? ` (${denial.failingResource.type})` : ''}`;

/** Actions on `*` are pinned to the project's region, as generate does, unless the service is global. */
function regionCondition(action: string, learn: LearnContext): ConditionBlock | undefined {
  const region = learn.context.region;
  if (!region || learn.catalog.globalServices.includes(action.split(':')[0])) return undefined;
  return { StringEquals: { 'aws:RequestedRegion': region } };
}
