/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load */
import { quietSdk } from '../aws/quiet-sdk';

/**
 * attach, generate --attach and the guard's update mode: the module (and the AWS SDK) loads
 * only when a command attaches, never for generate alone or on the pre-push fast path.
 */
export function loadAttach(): typeof import('./attach-command') {
  quietSdk();
  return require('./attach-command');
}
