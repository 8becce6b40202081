import * as path from 'node:path';
import { LeastPrivilegeError, type ErrorKind } from './errors';

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

type AmplifyErrorConstructor = new (
  name: string,
  options: { message: string; resolution?: string; details?: string },
  downstreamException?: Error,
) => Error;

/** The host CLI's error names (amplify-cli-core AmplifyErrorType) for our error kinds. */
const HOST_ERROR_NAMES: Record<ErrorKind, string> = {
  usage: 'InputValidationError',
  'no-project': 'ProjectNotFoundError',
  project: 'ConfigurationError',
  limit: 'ResourceCountLimitExceedError',
  aws: 'PermissionsError',
  blocked: 'PermissionsError',
};

/**
 * Turns our errors into the host CLI's own AmplifyError, the only kind the CLI prints with its
 * resolution. The class comes from the host's copy of @aws-amplify/amplify-cli-core (a peer we
 * never load ourselves otherwise); without it the error is returned unchanged.
 */
export function toHostError(context: AmplifyContext, err: unknown): unknown {
  if (!(err instanceof LeastPrivilegeError)) return err;
  const AmplifyError = hostAmplifyError(context);
  if (!AmplifyError) return err;
  return new AmplifyError(
    HOST_ERROR_NAMES[err.kind],
    { message: err.message, resolution: err.resolution },
    err,
  );
}

function hostAmplifyError(context: AmplifyContext): AmplifyErrorConstructor | undefined {
  const location = context.pluginPlatform?.plugins?.core?.[0]?.packageLocation;
  if (!location) return undefined;
  try {
    // The host's cli-core is already loaded by the CLI, so this require is a cache hit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
    const core = require(
      require.resolve('@aws-amplify/amplify-cli-core', { paths: [location, path.dirname(location)] }),
    ) as {
      AmplifyError?: AmplifyErrorConstructor;
    };
    return core.AmplifyError;
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
