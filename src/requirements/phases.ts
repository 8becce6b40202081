import type { Phase } from '../model';
import type { HandlerOperation } from './catalog';

/** The Amplify CLI commands each phase lets through (help and the README print this table). */
export const PHASE_COMMANDS: Readonly<Record<Phase, readonly string[]>> = {
  push: ['amplify push', 'amplify <category> push', 'amplify status'],
  pull: ['amplify pull', 'amplify env checkout', 'amplify env pull', 'amplify env list'],
  publish: ['amplify publish (after its push)'],
  codegen: ['amplify add codegen', 'amplify codegen', 'amplify codegen models'],
  init: ['amplify init', 'amplify env add'],
  delete: ['amplify env remove', 'amplify delete'],
};

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
