import type { Phase } from '../model';
import type { HandlerOperation } from './catalog';

/**
 * Which CloudFormation handler operations each phase can trigger.
 * push: resources are added (create), changed (update, or replaced: create + delete), removed
 * (delete), and every handler reads the resource back (read). init: the env's first deployment
 * creates everything. delete: the stacks are deleted.
 */
export const HANDLER_OPERATIONS: Readonly<Record<Phase, readonly HandlerOperation[]>> = {
  push: ['create', 'read', 'update', 'delete'],
  init: ['create', 'read'],
  delete: ['read', 'delete'],
};
