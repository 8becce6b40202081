import path = require('node:path');
import { booleanOption, checkOptions, stringOption, type Command } from '../src/invocation';
import { usageError } from '../src/errors';
import { OVERRIDES_FILE } from '../src/overrides/overrides-file';
import { readMessageFile, runLearn } from '../src/learn/run-learn';

export const learn: Command = {
  name: 'learn',
  summary: `record the permission an access denial asked for in ${OVERRIDES_FILE}`,
  usage:
    'learn (--message TEXT | --message-file FILE | --stack-events) [--resource ARN] [--allow-outside] [--env NAME] [--yes]',
  options: {
    message:
      'TEXT  the error as printed ("... is not authorized to perform: ACTION on resource: ARN ...", "API: ACTION Access Denied")',
    'message-file': 'FILE  read the error from FILE (- for standard input)',
    'stack-events':
      "read the denials from the failed events of the env's last stack operation (DescribeStackEvents)",
    resource: 'ARN  the resource, when the message names none (the older "API: ACTION Access Denied" form)',
    'allow-outside':
      "record a grant on a resource outside the project (another account or region, or a name that is not the project's)",
    env: 'NAME  the env the denial happened in (default: the checked-out env)',
    profile:
      "NAME  AWS profile for --stack-events (standalone; inside the Amplify CLI the project's own credentials are used)",
    yes: 'record without asking (also -y); without a terminal learn needs it',
  },
  async run(invocation, env) {
    checkOptions(invocation, learn);
    const message = stringOption(invocation, 'message');
    const messageFile = stringOption(invocation, 'message-file');
    const stackEvents = booleanOption(invocation, 'stack-events');
    if ([message !== undefined, messageFile !== undefined, stackEvents].filter(Boolean).length !== 1)
      throw usageError(
        'learn needs exactly one of --message TEXT, --message-file FILE and --stack-events.',
        'Pass the error as printed: learn --message "User: ... is not authorized to perform: ...", or learn --stack-events after a failed push.',
      );
    const resource = stringOption(invocation, 'resource');
    if (resource !== undefined && !/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+/.test(resource))
      throw usageError(
        `--resource ${resource} is not an ARN.`,
        'Write --resource arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.',
      );
    return runLearn(
      {
        projectDir: path.resolve(env.cwd, stringOption(invocation, 'project-dir') ?? '.'),
        envName: stringOption(invocation, 'env'),
        message:
          messageFile !== undefined
            ? readMessageFile(messageFile === '-' ? '-' : path.resolve(env.cwd, messageFile))
            : message,
        stackEvents,
        resource,
        allowOutside: booleanOption(invocation, 'allow-outside'),
        yes: booleanOption(invocation, 'yes') || booleanOption(invocation, 'y'),
        profile: stringOption(invocation, 'profile'),
      },
      env,
    );
  },
};
