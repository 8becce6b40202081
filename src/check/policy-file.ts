import path = require('node:path');
import { readJsonFile } from '../discovery/json-file';
import { GuardFileError } from '../outputs/guard-files';

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
