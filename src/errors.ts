/**
 * Errors the user can act on. Each carries a resolution and the exit code the bin uses;
 * the plugin entry turns them into the host CLI's AmplifyError (see src/amplify-host.ts).
 */
/**
 * usage: wrong flags (exit 2); no-project: not inside an Amplify project; project: unreadable
 * input; limit: IAM quotas; aws: a call to AWS failed (attach); blocked: the pre-push guard
 * found permissions the push needs and the policy lacks.
 */
export type ErrorKind = 'usage' | 'no-project' | 'project' | 'limit' | 'aws' | 'blocked';

export class LeastPrivilegeError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly resolution: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'LeastPrivilegeError';
  }

  /** 2 for a usage error, 1 for anything else. */
  get exitCode(): number {
    return this.kind === 'usage' ? 2 : 1;
  }
}

export const usageError = (message: string, resolution: string): LeastPrivilegeError =>
  new LeastPrivilegeError('usage', message, resolution);

export const projectError = (message: string, resolution: string, cause?: unknown): LeastPrivilegeError =>
  new LeastPrivilegeError('project', message, resolution, cause);

export const noProjectError = (message: string, resolution: string): LeastPrivilegeError =>
  new LeastPrivilegeError('no-project', message, resolution);
