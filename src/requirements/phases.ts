import type { Phase } from '../model';
import type { HandlerOperation } from './catalog';

/**
 * Which CloudFormation handler operations each phase needs.
 * push: resources are added (create) or changed (update), and every handler reads the resource
 * back (read). Deletions in a push (a removed resource, the old copy of a replaced one) happen
 * in CloudFormation's cleanup step, after the update has succeeded: a failure there leaves the
 * resource behind but does not fail the push, so delete handlers belong to the delete phase
 * (`--phases push,delete` lets a push also clean up). init: the env's first deployment creates
 * everything. delete: the stacks are deleted.
 */
export const HANDLER_OPERATIONS: Readonly<Record<Phase, readonly HandlerOperation[]>> = {
  push: ['create', 'read', 'update'],
  init: ['create', 'read'],
  delete: ['read', 'delete'],
};
