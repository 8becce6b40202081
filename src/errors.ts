/**
 * Errors the user can act on. Each carries a resolution and the exit code the bin uses;
 * the plugin entry turns them into the host CLI's AmplifyError or AmplifyFault (see
 * src/amplify-host.ts). Nothing else ever reaches the user: `asLeastPrivilegeError` turns any
 * other thrown value into one of these, so no stack trace is ever printed.
 */
/**
 * usage: wrong flags (exit 2); no-project: not inside an Amplify project; project: unreadable
 * input or output files; limit: IAM quotas; aws: a call to AWS failed (attach, verify);
 * blocked: the pre-push guard found permissions the push needs and the policy lacks;
 * fault: a bug of amplify-least-privilege itself (an exception nobody anticipated).
 */
export type ErrorKind = 'usage' | 'no-project' | 'project' | 'limit' | 'aws' | 'blocked' | 'fault';

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

/** Our own bug: what failed, and a request to report it. */
export const faultError = (what: string, cause?: unknown): LeastPrivilegeError =>
  new LeastPrivilegeError(
    'fault',
    `amplify-least-privilege failed unexpectedly: ${what}`,
    'This is a bug in amplify-least-privilege, not in your project: please report it to the package maintainers with the command you ran and this message (no credentials are in it).',
    cause,
  );

/** Operating-system failures on files (full disk, permissions, a folder where a file should be). */
const FILE_ERRORS = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EISDIR',
  'ENOTDIR',
  'EEXIST',
  'ENOENT',
  'ELOOP',
  'ENAMETOOLONG',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EIO',
  'EXDEV',
]);

/**
 * Any thrown value as a LeastPrivilegeError: ours unchanged; a file-system failure as a project
 * error naming the path; an AWS SDK failure as an aws error; anything else as a fault.
 */
export function asLeastPrivilegeError(err: unknown): LeastPrivilegeError {
  if (err instanceof LeastPrivilegeError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    path?: unknown;
    name?: unknown;
    message?: unknown;
    $metadata?: unknown;
  };
  const message = firstLine(typeof e.message === 'string' ? e.message : String(err));
  if (typeof e.code === 'string' && FILE_ERRORS.has(e.code)) {
    return projectError(
      `A file operation failed: ${message}`,
      `Check that ${typeof e.path === 'string' ? e.path : 'the project folder'} can be read and written (permissions, free space), then run the command again.`,
      err,
    );
  }
  if (e.$metadata !== undefined || (typeof e.name === 'string' && /Credentials?ProviderError/.test(e.name))) {
    return new LeastPrivilegeError(
      'aws',
      `A call to AWS failed: ${typeof e.name === 'string' ? `${e.name}: ` : ''}${message}`,
      'Check the credentials (--profile, or the SDK default chain) and the network, then run the command again.',
      err,
    );
  }
  return faultError(message, err);
}

/** The one paragraph the standalone bin prints for an error: message, then resolution. */
export function errorParagraph(err: LeastPrivilegeError): string {
  return `error: ${err.message}\n${err.resolution}\n`;
}

const firstLine = (text: string): string => {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 300)}...` : line || '(no message)';
};
