import { LeastPrivilegeError } from '../errors';
import { attachPermissionsPolicy } from './bootstrap-policy';

/**
 * Turns an AWS SDK failure into an error the user can act on. Access denied names the missing
 * permission and prints the policy an administrator can attach once; limits, missing entities,
 * credentials and network failures each say what to do. Messages never include credentials.
 */
export function explainAwsError(
  err: unknown,
  doing: string,
  account?: string,
  partition?: string,
): LeastPrivilegeError {
  if (err instanceof LeastPrivilegeError) return err;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: unknown };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(err);
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    const action = /not authorized to perform: (\S+)/.exec(message)?.[1];
    return new LeastPrivilegeError(
      'aws',
      `IAM denied ${action ?? 'a call'} while ${doing}${action ? '' : `: ${message}`}.`,
      `The identity running attach needs the permissions in README "Permissions for attach". An administrator can attach this policy to it once:\n${JSON.stringify(attachPermissionsPolicy(account, partition), null, 2)}${account ? '' : '\n(replace ACCOUNT_ID with the account id)'}`,
      err,
    );
  }
  if (name === 'LimitExceeded' || name === 'LimitExceededException') {
    return new LeastPrivilegeError(
      'aws',
      `An IAM limit was reached while ${doing}: ${message}`,
      'Detach managed policies the identity no longer needs, or ask AWS for a higher quota; then run attach again to finish.',
      err,
    );
  }
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') {
    return new LeastPrivilegeError(
      'aws',
      `Not found while ${doing}: ${message}`,
      'Check the profile, or --user, --role or --group; then run attach again.',
      err,
    );
  }
  if (name === 'MalformedPolicyDocument' || name === 'MalformedPolicyDocumentException') {
    return new LeastPrivilegeError(
      'aws',
      `IAM rejected a generated document while ${doing}: ${message}`,
      'This is a bug in amplify-least-privilege; please report it with `generate --json` output.',
      err,
    );
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return new LeastPrivilegeError(
      'aws',
      `No usable AWS credentials while ${doing}: ${message}`,
      'Configure the profile (amplify configure, or aws configure --profile NAME) or pass --profile NAME.',
      err,
    );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET'].includes(e?.code ?? '') ||
    name === 'TimeoutError'
  ) {
    return new LeastPrivilegeError(
      'aws',
      `Cannot reach AWS while ${doing}: ${message}`,
      'Check the network (and AWS_ENDPOINT_URL if set), then run attach again: it continues where it stopped.',
      err,
    );
  }
  return new LeastPrivilegeError(
    'aws',
    `AWS failed while ${doing}: ${name}: ${message}`,
    'Run attach again: it continues where it stopped.',
    err,
  );
}
