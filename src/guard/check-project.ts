import * as path from 'node:path';
import { generatePolicies, type GenerateOptions, type GenerateResult } from '../engine';
import type { Grant, Inventory, Reason, Requirement } from '../model';
import { resourceLabel } from '../inventory/resource-label';
import { uncoveredGrants } from './coverage';
import { GuardFileError, readGuardState, readJsonFile, type GuardState } from './guard-files';
import { inputsHash, policyFilesHash } from './inputs-hash';
import { packageVersion } from '../package-info';

/** One missing permission: the action, the resource it is needed on, and what needs it. */
export interface MissingPermission {
  readonly action: string;
  readonly resource: string;
  readonly neededBy: readonly string[];
}

export interface CheckOutcome {
  /** covered: the policy allows everything this push needs; missing: it does not; no-policy: nothing generated for the env. */
  readonly status: 'covered' | 'missing' | 'no-policy';
  readonly env: string;
  /** The inputs changed since the policy was generated (it may still cover them). */
  readonly stale: boolean;
  readonly missing: readonly MissingPermission[];
  /** Policy files checked, relative to the project root. */
  readonly policyFiles: readonly string[];
  /** The hash of what the engine read now (with the state's options): what a covered check remembers. */
  readonly inputsHash: string;
  readonly result: GenerateResult;
}

/** The options the hash of a generated policy depends on, as recorded in its state file. */
export const hashOptions = (
  options: Pick<GenerateOptions, 'phases' | 'permissionsBoundaryArn'>,
): string[] => [
  `phases=${(options.phases ?? ['push']).join(',')}`,
  ...(options.permissionsBoundaryArn ? [`boundary=${options.permissionsBoundaryArn}`] : []),
];

/**
 * Does the policy last generated or attached for the env (its state file and policy files)
 * allow everything this push needs (the requirements of `options.phases`, push by default)?
 * Runs the engine for the current project and compares, without any AWS call. A state or
 * policy file that exists but cannot be read as one is a GuardFileError, never "no policy".
 */
export async function checkProject(options: GenerateOptions): Promise<CheckOutcome> {
  // A check asks what a push needs unless told otherwise; generate's default grants more.
  const result = await generatePolicies({ ...options, phases: options.phases ?? ['push'] });
  const { rootDir } = result.context;
  const env = result.context.envName ?? 'default';
  const state = readGuardState(rootDir, env);
  // The hash the state's policy would have if it were generated now, with the same options.
  const hash = inputsHash(
    rootDir,
    env,
    state?.hashOptions ?? hashOptions(options),
    packageVersion(),
    result.inputs,
  );
  if (!state) {
    return { status: 'no-policy', env, stale: true, missing: [], policyFiles: [], inputsHash: hash, result };
  }
  const files = state.policies.map((p) => p.file);
  const documents = files.map((file) => readPolicyDocument(rootDir, file));
  const missing = group(uncoveredGrants(result.grants, documents), result.inventory);
  return {
    status: missing.length === 0 ? 'covered' : 'missing',
    env,
    stale: state.inputsHash !== hash,
    missing,
    policyFiles: files,
    inputsHash: hash,
    result,
  };
}

const REGENERATE =
  'Run `amplify least-privilege generate` to write the policy files again (or restore them with git).';

/** A policy file the state lists: its document, or a GuardFileError saying which file and why. */
export function readPolicyDocument(rootDir: string, file: string): unknown {
  const read = readJsonFile(path.join(rootDir, file));
  if ('absent' in read)
    throw new GuardFileError(`${file} is listed in the guard's state but does not exist.`, REGENERATE);
  if ('error' in read) throw new GuardFileError(`${file} ${read.error}.`, REGENERATE);
  const problem = policyDocumentProblem(read.value);
  if (problem) throw new GuardFileError(`${file} is not an IAM policy document: ${problem}.`, REGENERATE);
  return read.value;
}

const isStringOrList = (value: unknown): boolean =>
  typeof value === 'string' ||
  (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What makes the value not an IAM policy document, as IAM's grammar has it; undefined when it is one. */
export function policyDocumentProblem(document: unknown): string | undefined {
  if (!isObject(document)) return 'not a JSON object';
  if (document.Version !== undefined && typeof document.Version !== 'string')
    return 'Version is not a string';
  const statements = [document.Statement ?? []].flat();
  if (statements.length === 0) return 'no Statement';
  for (const [index, statement] of statements.entries()) {
    const where = `statement ${index + 1}`;
    if (!isObject(statement)) return `${where} is not an object`;
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')
      return `${where}: Effect must be Allow or Deny`;
    if ((statement.Action === undefined) === (statement.NotAction === undefined))
      return `${where} needs exactly one of Action and NotAction`;
    if (![statement.Action, statement.NotAction].some(isStringOrList))
      return `${where}: Action must be a string or a list of strings`;
    if ((statement.Resource === undefined) === (statement.NotResource === undefined))
      return `${where} needs exactly one of Resource and NotResource`;
    if (![statement.Resource, statement.NotResource].some(isStringOrList))
      return `${where}: Resource must be a string or a list of strings`;
    if (
      statement.Condition !== undefined &&
      (!isObject(statement.Condition) || !Object.values(statement.Condition).every(isObject))
    )
      return `${where}: Condition must map operators to objects`;
  }
  return undefined;
}

/**
 * One entry per action and resource, with the resources that need it there: the reasons whose
 * own resource gives the ARN its name (every resource of the type when no name tells them apart).
 */
export function group(grants: readonly Grant[], inventory?: Inventory): MissingPermission[] {
  const names = inventory ? namesByResource(inventory) : new Map<string, Map<string, string[]>>();
  const byKey = new Map<string, { action: string; resource: string; groups: Set<readonly Requirement[]> }>();
  for (const grant of grants) {
    const key = `${grant.action} ${grant.resource}`;
    const entry = byKey.get(key) ?? { action: grant.action, resource: grant.resource, groups: new Set() };
    grant.origins.forEach((origin) => entry.groups.add(origin));
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map((e) => {
      const reasons = new Set<Reason>();
      for (const origin of e.groups) for (const { reason } of origin) reasons.add(reason);
      const naming = [...reasons].filter((reason) => namesTheArn(reason, e.resource, names));
      const needing = naming.length > 0 ? naming : [...reasons];
      const neededBy = new Set(needing.map((reason) => `${reason.resource}: ${reason.summary}`));
      return { action: e.action, resource: e.resource, neededBy: [...neededBy].sort() };
    })
    .sort((a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource));
}

/** By resource label (`function/lpfn`, `root stack`), the physical names of its CloudFormation resources per type. */
function namesByResource(inventory: Inventory): Map<string, Map<string, string[]>> {
  const byLabel = new Map<string, Map<string, string[]>>();
  for (const resource of inventory.resources) {
    const label = resourceLabel(resource);
    const byType = byLabel.get(label) ?? new Map<string, string[]>();
    for (const cfn of resource.cfnResources)
      byType.set(cfn.type, [...(byType.get(cfn.type) ?? []), ...cfn.names]);
    byLabel.set(label, byType);
  }
  return byLabel;
}

/** The reason's resource has a resource of the reason's type whose name appears in the ARN. */
function namesTheArn(reason: Reason, arn: string, names: Map<string, Map<string, string[]>>): boolean {
  if (reason.resourceType === undefined) return false;
  const own = names.get(reason.resource)?.get(reason.resourceType) ?? [];
  return own.some((name) => name.replace(/\*/g, '').length > 0 && arn.includes(name));
}

/** What attach wrote to IAM: the target, and by policy name the hash of the document now in effect there. */
export interface AttachedRecord {
  readonly target: string;
  readonly documents: Readonly<Record<string, string>>;
}

/**
 * The state a generate or attach leaves: which files hold the env's policy, what the engine
 * read to make it and the hash of that. Where and what attach last wrote carries over from the
 * previous state until attach runs again.
 */
export function stateFor(
  result: GenerateResult,
  files: readonly string[],
  options: GenerateOptions,
  attached?: AttachedRecord,
): GuardState {
  const { rootDir } = result.context;
  const env = result.context.envName ?? 'default';
  const relativeFiles = files.map((file) => path.relative(rootDir, file).split(path.sep).join('/'));
  const recorded = hashOptions(options);
  const previous = attached ? undefined : previousState(rootDir, env);
  const attachedTo = attached?.target ?? previous?.attachedTo;
  const iamDocuments = attached?.documents ?? previous?.iamDocuments;
  return {
    version: 1,
    env,
    inputsHash: inputsHash(rootDir, env, recorded, packageVersion(), result.inputs),
    phases: result.phases,
    hashOptions: recorded,
    policies: result.policies.map((p, i) => ({ name: p.name, file: relativeFiles[i] })),
    policiesHash: policyFilesHash(rootDir, relativeFiles),
    inputs: result.inputs,
    ...(attachedTo ? { attachedTo } : {}),
    ...(iamDocuments ? { iamDocuments } : {}),
    ...(result.unknownTypes.length > 0 ? { unknownTypes: result.unknownTypes.map((u) => u.type) } : {}),
  };
}

/** The state being replaced; an unusable one carries nothing over. */
function previousState(rootDir: string, env: string): GuardState | undefined {
  try {
    return readGuardState(rootDir, env);
  } catch {
    return undefined;
  }
}

/**
 * The human report of missing permissions; with `fix`, a last line naming the command that
 * fixes them. An error leaves it out: its resolution is that line (the host CLI prints it
 * as `Resolution:`, the bin on the line after the message), and one fix is said once.
 */
export function formatMissing(outcome: CheckOutcome, fix?: string): string {
  const lines = [
    `The least-privilege policy for env ${outcome.env} does not allow ${outcome.missing.length} permission(s) this push needs:`,
  ];
  for (const m of outcome.missing.slice(0, 30)) {
    const more = m.neededBy.length > 1 ? `; and ${m.neededBy.length - 1} more` : '';
    lines.push(`  - ${m.action} on ${m.resource}  (needed by ${m.neededBy[0] ?? 'this project'}${more})`);
  }
  if (outcome.missing.length > 30) lines.push(`  ... and ${outcome.missing.length - 30} more`);
  if (fix) lines.push(`Fix: ${fix}`);
  return `${lines.join('\n')}\n`;
}
