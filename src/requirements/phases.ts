import type { Phase } from '../model';
import type { HandlerOperation } from '../catalog/schemas';

/**
 * The Amplify CLI commands each phase lets through (help and the README print this table).
 * Traces of the real CLI (test/e2e/trace) check each command against its phases' policy.
 */
export const PHASE_COMMANDS: Readonly<Record<Phase, readonly string[]>> = {
  push: ['amplify push', 'amplify <category> push', 'amplify status'],
  pull: [
    'amplify pull',
    'amplify env checkout',
    'amplify env pull',
    'amplify env list',
    'amplify import auth',
    'amplify import storage',
  ],
  publish: ['amplify publish (after its push)'],
  codegen: ['amplify add codegen', 'amplify codegen', 'amplify codegen models'],
  init: ['amplify init', 'amplify env add'],
  delete: ['amplify env remove', 'amplify delete'],
};

/** Phases whose commands first run another phase's command (`amplify publish` pushes first). */
const RUNS_FIRST: Readonly<Partial<Record<Phase, readonly Phase[]>>> = { publish: ['push'] };

/**
 * The phases a policy needs for one Amplify command (`push`, `env checkout dev`, `publish -c`):
 * the phase that lists the longest matching command, plus the phases it runs first; undefined
 * for a command no phase lists. `<category>` stands for any word.
 */
export function phasesOfCommand(command: string): Phase[] | undefined {
  const words = command
    .trim()
    .split(/\s+/)
    .filter((word) => !word.startsWith('-'));
  let best: { phase: Phase; length: number } | undefined;
  for (const [phase, listed] of Object.entries(PHASE_COMMANDS) as Array<[Phase, readonly string[]]>) {
    for (const entry of listed) {
      const pattern = entry
        .replace(/ \(.*\)$/, '')
        .split(' ')
        .slice(1);
      const fits = pattern.every(
        (word, n) => word === words[n] || (word === '<category>' && words[n] !== undefined),
      );
      if (fits && pattern.length > (best?.length ?? 0)) best = { phase, length: pattern.length };
    }
  }
  return best ? [...(RUNS_FIRST[best.phase] ?? []), best.phase] : undefined;
}

/**
 * Which CloudFormation handler operations each phase needs.
 * push: resources are added (create) or changed (update), and every handler reads the resource
 * back (read). A push also deletes: a removed resource, the old copy of a replaced one (both in
 * CloudFormation's cleanup step, where a failure leaves the resource behind without failing the
 * push) and, when the push fails, what it created (rollback, where a failure leaves the stack in
 * UPDATE_ROLLBACK_FAILED). init: the env's first deployment creates everything, and its rollback
 * deletes it again. delete: the stacks are deleted. pull, publish and codegen deploy nothing.
 */
export const HANDLER_OPERATIONS: Readonly<Record<Phase, readonly HandlerOperation[]>> = {
  push: ['create', 'read', 'update', 'delete'],
  pull: [],
  publish: [],
  codegen: [],
  init: ['create', 'read', 'delete'],
  delete: ['read', 'delete'],
};

/**
 * Phases that run the delete handlers of stateless resource types only (data/stateful-types.json):
 * deleting a table, a bucket or a user pool destroys data, so those deletes are granted by the
 * delete phase alone (`--phases push,delete` lets a push remove them too).
 */
export const STATELESS_DELETES_ONLY: readonly Phase[] = ['push', 'init'];
