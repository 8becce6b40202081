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
 * back (read). Deletions in a push (a removed resource, the old copy of a replaced one) happen
 * in CloudFormation's cleanup step, after the update has succeeded: a failure there leaves the
 * resource behind but does not fail the push, so delete handlers belong to the delete phase
 * (`--phases push,delete` lets a push also clean up). init: the env's first deployment creates
 * everything. delete: the stacks are deleted. pull, publish and codegen deploy nothing.
 */
export const HANDLER_OPERATIONS: Readonly<Record<Phase, readonly HandlerOperation[]>> = {
  push: ['create', 'read', 'update'],
  pull: [],
  publish: [],
  codegen: [],
  init: ['create', 'read'],
  delete: ['read', 'delete'],
};
