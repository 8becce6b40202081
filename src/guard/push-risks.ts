import type { GenerateResult } from '../engine';
import { LeastPrivilegeError } from '../errors';
import type { UnknownType } from '../model';
import { removalWarning } from '../requirements/removals';
import type { GuardMode } from '../discovery/guard-config';
import type { GuardIo } from './pre-push';
import { WARNING_KINDS } from '../results';

/** What to do when the project deploys resource types the policy knows nothing about. */
export const UNKNOWN_TYPES_RESOLUTION = WARNING_KINDS['unknown-type'].resolution;

/** The unknown types, one line each, with where they are declared. */
export function unknownTypesReport(unknownTypes: readonly UnknownType[]): string {
  return [
    `The policy grants nothing for ${unknownTypes.length} resource type(s) this push deploys:`,
    ...unknownTypes.map((u) => `  - ${u.type} (${u.resources.join(', ')}; ${u.reason})`),
  ].join('\n');
}

/**
 * What the guard says about a push besides missing permissions: resource types without any
 * handler permissions stop the push in mode block (a warning otherwise), and resources holding
 * data that the push removes or replaces are named with what to run (data/stateful-types.json).
 */
export function reportPushRisks(result: GenerateResult, mode: GuardMode, io: GuardIo): void {
  if (result.unknownTypes.length > 0) {
    const report = unknownTypesReport(result.unknownTypes);
    if (mode === 'block')
      throw new LeastPrivilegeError(
        'blocked',
        `Push stopped by the least-privilege guard (mode block).\n${report}`,
        UNKNOWN_TYPES_RESOLUTION,
      );
    io.say(`least-privilege: warning: ${report}\n  Fix: ${UNKNOWN_TYPES_RESOLUTION}`);
  }
  for (const removal of result.statefulRemovals)
    io.say(`least-privilege: warning: ${removalWarning(removal, result.phases).text}`);
}
