import path = require('node:path');
import { asLeastPrivilegeError, type ErrorKind } from './errors';

/**
 * The slice of the Amplify CLI's `context` the plugin uses (the CLI types it as any).
 * See ../shared/real-cli/README.md for the verified facts.
 */
export interface AmplifyContext {
  readonly amplify?: {
    readonly invokePluginMethod?: (
      context: AmplifyContext,
      category: string,
      service: string | undefined,
      method: string,
      args: unknown[],
    ) => Promise<unknown>;
    readonly confirmPrompt?: (message: string, defaultValue?: boolean) => Promise<boolean>;
  };
  readonly input?: {
    readonly command?: string;
    readonly subCommands?: readonly string[];
    readonly options?: Readonly<Record<string, string | boolean>>;
  };
  readonly pluginPlatform?: {
    readonly plugins?: Readonly<Record<string, ReadonlyArray<{ readonly packageLocation?: string }>>>;
  };
}

type AmplifyExceptionConstructor = new (
  name: string,
  options: { message: string; resolution?: string; details?: string },
  downstreamException?: Error,
) => Error;

/**
 * The host CLI's exception names for our error kinds: AmplifyErrorType names for errors the
 * user can act on, AmplifyFaultType for our own bugs (amplify-cli-core lib/errors).
 */
const HOST_ERROR_NAMES: Record<ErrorKind, string> = {
  usage: 'InputValidationError',
  'no-project': 'ProjectNotFoundError',
  project: 'ConfigurationError',
  limit: 'ResourceCountLimitExceedError',
  aws: 'PermissionsError',
  blocked: 'PermissionsError',
  fault: 'UnknownFault',
};

/**
 * Turns anything thrown into the host CLI's own exception, the only kind the CLI prints with
 * its resolution (and without a stack trace): AmplifyError for errors the user can act on,
 * AmplifyFault for our own bugs (an unexpected exception, wrapped by asLeastPrivilegeError).
 * The classes come from the host's copy of @aws-amplify/amplify-cli-core (a peer we never load
 * ourselves otherwise); without it our LeastPrivilegeError is returned.
 */
export function toHostError(context: AmplifyContext, err: unknown): unknown {
  const error = asLeastPrivilegeError(err);
  const core = hostCore(context);
  const options = { message: error.message, resolution: error.resolution };
  if (error.kind === 'fault' && core?.AmplifyFault)
    return new core.AmplifyFault('UnknownFault', options, error);
  // A host without AmplifyFault (an older cli-core) still prints an AmplifyError with its resolution.
  const name = error.kind === 'fault' ? HOST_ERROR_NAMES.project : HOST_ERROR_NAMES[error.kind];
  return core?.AmplifyError ? new core.AmplifyError(name, options, error) : error;
}

interface HostCore {
  readonly AmplifyError?: AmplifyExceptionConstructor;
  readonly AmplifyFault?: AmplifyExceptionConstructor;
}

function hostCore(context: AmplifyContext): HostCore | undefined {
  const location = context.pluginPlatform?.plugins?.core?.[0]?.packageLocation;
  if (!location) return undefined;
  try {
    // The host's cli-core is already loaded by the CLI, so this require is a cache hit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
    return require(
      require.resolve('@aws-amplify/amplify-cli-core', { paths: [location, path.dirname(location)] }),
    ) as HostCore;
  } catch {
    return undefined;
  }
}

/**
 * The project's AWS credentials and region exactly as the CLI resolves them
 * (awscloudformation's loadConfiguration), for attach inside the Amplify CLI.
 */
export function hostAwsAccess(
  context: AmplifyContext,
): (() => Promise<{ credentials?: unknown; region?: string }>) | undefined {
  const invoke = context.amplify?.invokePluginMethod;
  if (!invoke) return undefined;
  return async () =>
    (await invoke(context, 'awscloudformation', undefined, 'loadConfiguration', [context])) as {
      credentials?: unknown;
      region?: string;
    };
}

/** The CLI's own yes/no prompt, when it has one. */
export function hostConfirm(context: AmplifyContext): ((question: string) => Promise<boolean>) | undefined {
  const confirm = context.amplify?.confirmPrompt;
  return confirm ? (question) => confirm(question, false) : undefined;
}
