/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy load */
import { quietSdk } from '../aws/quiet-sdk';

/** check --verify and the guard's verify setting: the AWS SDK loads only when IAM is asked. */
export function loadVerify(): typeof import('./verify') {
  quietSdk();
  return require('./verify');
}
