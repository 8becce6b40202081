/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loads */
import { quietSdk } from '../aws/quiet-sdk';

/** check --verify and the guard's verify setting: the AWS SDK loads only when IAM is asked. */
export function loadVerify(): typeof import('./verify') {
  quietSdk();
  return require('./verify');
}

/**
 * check --format markdown and generate --diff (the pull-request view): the committed policy
 * against a regenerated one; its modules load only for them.
 */
export function loadChangesView(): Pick<typeof import('./policy-changes'), 'policyChanges'> &
  Pick<typeof import('./changes-markdown'), 'changesMarkdown'> {
  const { policyChanges } = require('./policy-changes') as typeof import('./policy-changes');
  const { changesMarkdown } = require('./changes-markdown') as typeof import('./changes-markdown');
  return { policyChanges, changesMarkdown };
}
