/**
 * amplify/least-privilege/overrides.json: grants added to the generated policy exactly as
 * written (learned from a denial by `learn`, or written by hand) and exclusions that take
 * computed grants out. Committed with the project; read before the policy is assembled.
 * The schema is documented in README.md ("The overrides file") and checked here, with an error
 * that names the entry and the field.
 */
import fs = require('node:fs');
import path = require('node:path');
import { ALL_PHASES, type ConditionBlock, type Phase } from '../model';
import { projectError } from '../errors';
import { noteRead } from '../discovery/read-log';

export const OVERRIDES_FILE = 'amplify/least-privilege/overrides.json';
export const OVERRIDES_VERSION = 1;

/** Where a learned grant came from. */
export interface LearnedFrom {
  /** `message` (--message, --message-file) or `stack-events` (--stack-events). */
  readonly from: 'message' | 'stack-events';
  /** ISO date (YYYY-MM-DD) the grant was learned. */
  readonly date: string;
  /** The denial as read from the message or the stack event. */
  readonly message: string;
  /** The principal that was denied, when the message names it. */
  readonly caller?: string;
  /** The resource ARN the denial named, when the recorded resource differs (a project pattern covering it). */
  readonly deniedResource?: string;
  /** `LogicalId (Type)` of the CloudFormation resource that failed, when known. */
  readonly failingResource?: string;
}

export interface OverrideGrant {
  /** IAM actions (`service:Action`, no wildcards). */
  readonly actions: readonly string[];
  /** ARN patterns, granted exactly as written (`*` only where the action has no resource type). */
  readonly resources: readonly string[];
  readonly condition?: ConditionBlock;
  /** Only when generating for this env (learned grants name the env they were learned in). */
  readonly env?: string;
  /** Only in these phases (default: every phase generated). */
  readonly phases?: readonly Phase[];
  /** Why it is needed (hand-written grants must say). */
  readonly reason?: string;
  readonly learned?: LearnedFrom;
}

export interface OverrideExclusion {
  /** Actions, IAM wildcards allowed (`s3:PutBucket*`). */
  readonly actions: readonly string[];
  /** ARN patterns: a computed grant whose resource they cover is removed. */
  readonly resources: readonly string[];
  readonly env?: string;
  readonly reason: string;
}

export interface Overrides {
  /** Free text for the people who read the file; kept when learn rewrites it. */
  readonly $comment?: string;
  readonly version: typeof OVERRIDES_VERSION;
  readonly grants: readonly OverrideGrant[];
  readonly exclusions: readonly OverrideExclusion[];
}

export const NO_OVERRIDES: Overrides = { version: OVERRIDES_VERSION, grants: [], exclusions: [] };

const GRANT_KEYS = ['actions', 'resources', 'condition', 'env', 'phases', 'reason', 'learned'];
const EXCLUSION_KEYS = ['actions', 'resources', 'env', 'reason'];
const LEARNED_KEYS = ['from', 'date', 'message', 'caller', 'deniedResource', 'failingResource'];
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const ARN = /^arn:[a-z-]*\*?:[a-z0-9-*]*:[a-z0-9-*]*:(\d{12}|\*|):.+$/;

/** The project's overrides, or none when the file does not exist. */
export function readOverrides(rootDir: string): Overrides {
  const file = path.join(rootDir, OVERRIDES_FILE);
  let text: string;
  noteRead('file', file);
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return NO_OVERRIDES;
    throw projectError(
      `Cannot read ${OVERRIDES_FILE}: ${(err as Error).message}.`,
      'Check the file permissions.',
    );
  }
  return parseOverrides(text);
}

/** Parses and checks the file's text; every problem is a LeastPrivilegeError naming the entry. */
export function parseOverrides(text: string): Overrides {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw invalid(`it is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(data))
    throw invalid('the top level must be an object {"version": 1, "grants": [...], "exclusions": [...]}');
  unknownKeys(data, ['version', 'grants', 'exclusions', '$comment'], 'the top level');
  if (data.version !== OVERRIDES_VERSION) throw invalid(`"version" must be ${OVERRIDES_VERSION}`);
  const grants = listOf(data.grants, '"grants"').map((entry, i) => checkGrant(entry, `grants[${i}]`));
  const exclusions = listOf(data.exclusions, '"exclusions"').map((entry, i) =>
    checkExclusion(entry, `exclusions[${i}]`),
  );
  return {
    ...(typeof data.$comment === 'string' ? { $comment: data.$comment } : {}),
    version: OVERRIDES_VERSION,
    grants,
    exclusions,
  };
}

function checkGrant(entry: unknown, where: string): OverrideGrant {
  if (!isObject(entry)) throw invalid(`${where} must be an object`);
  unknownKeys(entry, GRANT_KEYS, where);
  const actions = strings(
    entry.actions,
    `${where}.actions`,
    ACTION,
    'an IAM action such as "ssm:PutParameter" (no wildcards)',
  );
  const resources = strings(entry.resources, `${where}.resources`, ARN, 'an ARN (or "*")', true);
  if (entry.reason === undefined && entry.learned === undefined)
    throw invalid(`${where} needs a "reason" (why the project needs it) or a "learned" record`);
  return {
    actions,
    resources,
    ...(entry.condition !== undefined
      ? { condition: checkCondition(entry.condition, `${where}.condition`) }
      : {}),
    ...optionalString(entry, 'env', where),
    ...(entry.phases !== undefined ? { phases: checkPhases(entry.phases, `${where}.phases`) } : {}),
    ...optionalString(entry, 'reason', where),
    ...(entry.learned !== undefined ? { learned: checkLearned(entry.learned, `${where}.learned`) } : {}),
  };
}

function checkExclusion(entry: unknown, where: string): OverrideExclusion {
  if (!isObject(entry)) throw invalid(`${where} must be an object`);
  unknownKeys(entry, EXCLUSION_KEYS, where);
  const actions = strings(
    entry.actions,
    `${where}.actions`,
    ACTION_PATTERN,
    'an IAM action, wildcards allowed ("s3:PutBucket*")',
  );
  const resources = strings(entry.resources, `${where}.resources`, ARN, 'an ARN pattern (or "*")', true);
  if (typeof entry.reason !== 'string' || entry.reason.trim() === '')
    throw invalid(`${where} needs a "reason": why the project must not have these grants`);
  return { actions, resources, ...optionalString(entry, 'env', where), reason: entry.reason };
}

function checkLearned(value: unknown, where: string): LearnedFrom {
  if (!isObject(value)) throw invalid(`${where} must be an object`);
  unknownKeys(value, LEARNED_KEYS, where);
  if (value.from !== 'message' && value.from !== 'stack-events')
    throw invalid(`${where}.from must be "message" or "stack-events"`);
  if (typeof value.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value.date))
    throw invalid(`${where}.date must be a date YYYY-MM-DD`);
  if (typeof value.message !== 'string') throw invalid(`${where}.message must be a string`);
  return {
    from: value.from,
    date: value.date,
    message: value.message,
    ...optionalString(value, 'caller', where),
    ...optionalString(value, 'deniedResource', where),
    ...optionalString(value, 'failingResource', where),
  };
}

function checkCondition(value: unknown, where: string): ConditionBlock {
  if (!isObject(value))
    throw invalid(`${where} must be an IAM condition block {"Operator": {"key": "value"}}`);
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) throw invalid(`${where}.${operator} must be an object of condition keys`);
    for (const [key, values] of Object.entries(keys)) {
      const ok =
        typeof values === 'string' ||
        (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string'));
      if (!ok) throw invalid(`${where}.${operator}.${key} must be a string or a list of strings`);
    }
  }
  return value as ConditionBlock;
}

function checkPhases(value: unknown, where: string): Phase[] {
  const phases = strings(value, where, /^[a-z]+$/, 'a phase');
  const unknown = phases.filter((phase) => !ALL_PHASES.includes(phase as Phase));
  if (unknown.length > 0)
    throw invalid(`${where} has unknown phase ${unknown.join(', ')} (known: ${ALL_PHASES.join(', ')})`);
  return phases as Phase[];
}

function strings(value: unknown, where: string, pattern: RegExp, what: string, allowStar = false): string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${where} must be a non-empty list`);
  return value.map((item, i) => {
    if (typeof item !== 'string' || !(pattern.test(item) || (allowStar && item === '*')))
      throw invalid(`${where}[${i}] ${JSON.stringify(item)} is not ${what}`);
    return item;
  });
}

function optionalString(entry: Record<string, unknown>, key: string, where: string): Record<string, string> {
  const value = entry[key];
  if (value === undefined) return {};
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`${where}.${key} must be a non-empty string`);
  return { [key]: value };
}

function unknownKeys(entry: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(entry)) {
    if (known.includes(key)) continue;
    const plural = known.includes(`${key}s`) ? ` (did you mean "${key}s"? it takes a list)` : '';
    throw invalid(`${where} has an unknown field "${key}"${plural}; known fields: ${known.join(', ')}`);
  }
}

function listOf(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${where} must be a list`);
  return value;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (problem: string): Error =>
  projectError(
    `${OVERRIDES_FILE} is not valid: ${problem}.`,
    `Fix the file (its format is in the README, "The overrides file"), or remove it to generate without overrides.`,
  );

/** The file with one more grant; a grant with the same actions, resources, condition and env is not added twice. */
export function withGrant(
  overrides: Overrides,
  grant: OverrideGrant,
): { overrides: Overrides; added: boolean } {
  const key = (g: OverrideGrant): string =>
    JSON.stringify([[...g.actions].sort(), [...g.resources].sort(), g.condition ?? null, g.env ?? null]);
  if (overrides.grants.some((g) => key(g) === key(grant))) return { overrides, added: false };
  return { overrides: { ...overrides, grants: [...overrides.grants, grant] }, added: true };
}

/** Stable text: two-space JSON with a final newline (the file is committed and diffed). */
export const renderOverrides = (overrides: Overrides): string => `${JSON.stringify(overrides, null, 2)}\n`;

/** Writes the file whole or not at all (a temporary file, then a rename). */
export function writeOverrides(rootDir: string, overrides: Overrides): string {
  const file = path.join(rootDir, OVERRIDES_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, renderOverrides(overrides));
    fs.renameSync(temporary, file);
  } catch (err) {
    fs.rmSync(temporary, { force: true });
    throw projectError(
      `Cannot write ${OVERRIDES_FILE}: ${(err as Error).message}.`,
      'Check the folder permissions.',
      err,
    );
  }
  return file;
}
