import * as fs from 'node:fs';
import * as path from 'node:path';
import { VIA_CLOUDFORMATION, type SimulatedRequest } from './simulate';

/**
 * The requests a push of a project really makes, on the ARNs the resources really get,
 * derived from the project's files and Amplify's naming conventions
 * (../shared/research/amplify-permission-truth.md §2, "Naming conventions"), independently of
 * the engine. Values a project does not record get concrete stand-ins (region us-east-1,
 * env dev, ...): the policy must allow them too, because it cannot know better.
 */
export interface ProjectFacts {
  readonly region: string;
  readonly account: string;
  readonly env: string;
  readonly rootStack: string;
  readonly bucket: string;
  readonly appId: string;
  readonly authRole: string;
  readonly projectName: string;
}

const readJson = (file: string): Record<string, unknown> => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
};
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export function projectFacts(projectDir: string): ProjectFacts {
  const amplify = path.join(projectDir, 'amplify');
  const localEnv = str(readJson(path.join(amplify, '.config', 'local-env-info.json')).envName);
  const team = readJson(path.join(amplify, 'team-provider-info.json'));
  const env = localEnv ?? (Object.keys(team).length === 1 ? Object.keys(team)[0] : 'dev');
  const meta = record(
    record(readJson(path.join(amplify, 'backend', 'amplify-meta.json')).providers).awscloudformation,
  );
  const provider = { ...meta, ...record(record(team[env]).awscloudformation) };
  const stackId = str(provider.StackId) ?? '';
  const projectName =
    str(readJson(path.join(amplify, '.config', 'project-config.json')).projectName) ?? 'proj';
  const rootStack =
    str(provider.StackName) ?? `amplify-${projectName.toLowerCase().replace(/[^-a-z0-9]/g, '')}-${env}-12345`;
  return {
    region: str(provider.Region) ?? (stackId.split(':')[3] || 'us-east-1'),
    account: stackId.split(':')[4] || str(provider.AuthRoleArn)?.split(':')[4] || '123456789012',
    env,
    rootStack,
    bucket: str(provider.DeploymentBucketName) ?? `${rootStack}-deployment`,
    appId: str(provider.AmplifyAppId) ?? 'd1a2b3c4d5e6f7',
    authRole: str(provider.AuthRoleName) ?? `${rootStack}-authRole`,
    projectName,
  };
}

interface Entry {
  readonly category: string;
  readonly name: string;
  readonly service: string;
  readonly imported: boolean;
}

function backendEntries(projectDir: string): Entry[] {
  const backend = path.join(projectDir, 'amplify', 'backend');
  const config = fs.existsSync(path.join(backend, 'backend-config.json'))
    ? readJson(path.join(backend, 'backend-config.json'))
    : readJson(path.join(backend, 'amplify-meta.json'));
  return Object.entries(config)
    .filter(([category]) => category !== 'providers' && category !== 'parameters')
    .flatMap(([category, resources]) =>
      Object.entries(record(resources)).map(([name, value]) => ({
        category,
        name,
        service: str(record(value).service) ?? '',
        imported: record(value).serviceType === 'imported',
      })),
    );
}

/** The CLI's own requests on every push (stack, bucket, parameters, app). */
export function coreRequests(f: ProjectFacts): SimulatedRequest[] {
  const stack = `arn:aws:cloudformation:${f.region}:${f.account}:stack/${f.rootStack}/3f0a7e60-b699-11ec-8f72-02f8ff289f71`;
  const nested = `arn:aws:cloudformation:${f.region}:${f.account}:stack/${f.rootStack}-authcognito1234-1TQA2A5YTJKQR/4a1b2c3d-0000-11ec-8f72-02f8ff289f71`;
  const object = (key: string): string => `arn:aws:s3:::${f.bucket}/${key}`;
  const parameter = `arn:aws:ssm:${f.region}:${f.account}:parameter/amplify/${f.appId}/${f.env}/AMPLIFY_function_fn_deploymentBucketName`;
  return [
    ...[
      'cloudformation:UpdateStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:ListStackResources',
    ].map((action) => ({ action, resource: stack, why: 'push updates the root stack' })),
    { action: 'cloudformation:DescribeStacks', resource: nested, why: 'outputs of a nested stack' },
    {
      action: 'cloudformation:UpdateStack',
      resource: nested,
      context: VIA_CLOUDFORMATION,
      why: 'CloudFormation updates a nested stack',
    },
    {
      action: 'cloudformation:CreateStack',
      resource: nested,
      context: VIA_CLOUDFORMATION,
      why: 'CloudFormation creates a nested stack',
    },
    {
      action: 's3:PutObject',
      resource: object('#current-cloud-backend.zip'),
      why: 'upload of the current cloud backend',
    },
    {
      action: 's3:PutObject',
      resource: object('amplify-cfn-templates/auth/auth-cloudformation-template.json'),
      why: 'nested template upload',
    },
    {
      action: 's3:GetObject',
      resource: object('amplify-cfn-templates/auth/auth-cloudformation-template.json'),
      why: 'CloudFormation reads TemplateURL',
    },
    { action: 's3:GetObject', resource: object('deployment-state.json'), why: 'iterative deployment state' },
    // No HeadBucket (s3:ListBucket): only env remove and delete make it (test/e2e/trace/recorded).
    {
      action: 's3:ListBucketVersions',
      resource: `arn:aws:s3:::${f.bucket}`,
      why: 'old versions of studio-backend/',
    },
    { action: 'ssm:PutParameter', resource: parameter, why: 'env parameters' },
    { action: 'ssm:GetParameters', resource: parameter, why: 'env parameters on pull' },
    {
      action: 'amplify:GetBackendEnvironment',
      resource: `arn:aws:amplify:${f.region}:${f.account}:apps/${f.appId}`,
      why: 'postPushCheck',
    },
    { action: 'amplify:ListApps', resource: '*', why: 'permission probe' },
  ];
}

/** Requests on the resources each backend entry deploys, on the names Amplify gives them. */
export function resourceRequests(projectDir: string, f: ProjectFacts): SimulatedRequest[] {
  const requests: SimulatedRequest[] = [];
  const lambda = (name: string): string => `arn:aws:lambda:${f.region}:${f.account}:function:${name}`;
  const role = (name: string): string => `arn:aws:iam::${f.account}:role/${name}`;
  const generated = (logicalId: string): string =>
    `${f.rootStack.slice(0, 25)}-${logicalId.slice(0, 20)}-1ABCDEFGHIJK`;
  const viaCfn = (action: string, resource: string, why: string): SimulatedRequest => ({
    action,
    resource,
    context: VIA_CLOUDFORMATION,
    why,
  });
  const passRole = (name: string, service: string, why: string): SimulatedRequest => ({
    action: 'iam:PassRole',
    resource: role(name),
    context: { 'iam:PassedToService': service },
    why,
  });
  const backend = path.join(projectDir, 'amplify', 'backend');
  const hasTemplates = (entry: Entry): boolean => {
    const dir = path.join(backend, entry.category, entry.name);
    return (
      fs.existsSync(dir) &&
      fs.readdirSync(dir, { recursive: true }).some((file) => /template\.(json|ya?ml)$/.test(String(file)))
    );
  };

  for (const entry of backendEntries(projectDir).filter((e) => !e.imported)) {
    const label = `${entry.category}/${entry.name}`;
    const dir = path.join(backend, entry.category, entry.name);
    if (entry.category === 'function' && entry.service === 'Lambda') {
      const fn = `${entry.name}-${f.env}`;
      requests.push(viaCfn('lambda:CreateFunction', lambda(fn), `${label}: function <name>-<env>`));
      requests.push(viaCfn('lambda:UpdateFunctionCode', lambda(fn), `${label}: code update`));
      requests.push(
        viaCfn(
          's3:GetObject',
          `arn:aws:s3:::${f.bucket}/amplify-builds/${entry.name}-1234-build.zip`,
          `${label}: code from the deployment bucket`,
        ),
      );
      const roleName = functionRoleName(dir, entry.name, f);
      requests.push(viaCfn('iam:CreateRole', role(roleName), `${label}: execution role`));
      requests.push(passRole(roleName, 'lambda.amazonaws.com', `${label}: execution role passed to Lambda`));
    }
    if (entry.category === 'function' && entry.service === 'LambdaLayer') {
      const layer = `arn:aws:lambda:${f.region}:${f.account}:layer:${entry.name}-${f.env}`;
      requests.push(viaCfn('lambda:PublishLayerVersion', layer, `${label}: layer <name>-<env>`));
      requests.push({
        action: 'lambda:DeleteLayerVersion',
        resource: `${layer}:3`,
        why: `${label}: old layer versions cleanup`,
      });
    }
    if (entry.category === 'storage' && entry.service === 'DynamoDB') {
      // ddb-stack-builder.ts: <tableName>-<env>, tableName from cli-inputs.json (parameters.json before CLI v7).
      const tableName =
        str(readJson(path.join(dir, 'cli-inputs.json')).tableName) ??
        str(readJson(path.join(dir, 'parameters.json')).tableName) ??
        entry.name;
      requests.push(
        viaCfn(
          'dynamodb:CreateTable',
          `arn:aws:dynamodb:${f.region}:${f.account}:table/${tableName}-${f.env}`,
          `${label}: table <tableName>-<env>`,
        ),
      );
    }
    if (entry.category === 'storage' && entry.service === 'S3') {
      const inputs = {
        ...readJson(path.join(dir, 'parameters.json')),
        ...readJson(path.join(dir, 'cli-inputs.json')),
      };
      const bucketName = str(inputs.bucketName);
      if (bucketName) {
        // s3-stack-builder.ts: <bucketName><4th part of the stack name, the root stack's suffix>-<env>.
        const bucket = `arn:aws:s3:::${bucketName.toLowerCase()}${f.rootStack.split('-')[3] ?? '12345'}-${f.env}`;
        requests.push(
          viaCfn('s3:CreateBucket', bucket, `${label}: bucket <bucketName><root stack suffix>-<env>`),
        );
        requests.push(viaCfn('s3:PutBucketCORS', bucket, `${label}: bucket CORS`));
      }
    }
    if (entry.category === 'api' && entry.service === 'AppSync') {
      for (const model of appSyncModels(dir)) {
        const table = `arn:aws:dynamodb:${f.region}:${f.account}:table/${model}-abcdefghijklmnopqrstuvwxyz-${f.env}`;
        requests.push(viaCfn('dynamodb:CreateTable', table, `${label}: @model table <Model>-<apiId>-<env>`));
        requests.push({
          action: 'dynamodb:DescribeTable',
          resource: table,
          why: `${label}: iterative GSI deployment`,
        });
      }
      requests.push(viaCfn('appsync:CreateGraphqlApi', '*', `${label}: GraphQL API (no resource type)`));
    }
    if (entry.category === 'auth' && entry.service === 'Cognito') {
      // Identity-pool-only auth (2018 projects) has no user pool; its template says so.
      const template = firstTemplate(dir);
      const userPool = !template || /AWS::Cognito::UserPool["\s]/.test(fs.readFileSync(template, 'utf8'));
      if (userPool) {
        const pool = `arn:aws:cognito-idp:${f.region}:${f.account}:userpool/${f.region}_AbCdEf123`;
        requests.push(viaCfn('cognito-idp:CreateUserPool', '*', `${label}: user pool`));
        requests.push(viaCfn('cognito-idp:UpdateUserPool', pool, `${label}: user pool`));
      }
      requests.push(passRole(f.authRole, 'cognito-identity.amazonaws.com', `${label}: identity pool roles`));
    }
    if (
      entry.category === 'geo' ||
      (entry.category === 'analytics' && entry.service === 'Pinpoint') ||
      entry.category === 'interactions'
    ) {
      // Custom-resource stacks: the function and its role get CloudFormation-generated names unless the template names them.
      const text = hasTemplates(entry) ? fs.readFileSync(firstTemplate(dir) ?? '', 'utf8') : '';
      if (!text || (text.includes('LambdaCallout') && !text.includes('FunctionName'))) {
        const fn = generated(`Custom${entry.service}Lambda`);
        requests.push(
          viaCfn('lambda:CreateFunction', lambda(fn), `${label}: custom resource function (generated name)`),
        );
        requests.push(viaCfn('lambda:InvokeFunction', lambda(fn), `${label}: custom resource call`));
      }
      if (!text || (text.includes('LambdaCallout') && !text.includes('RoleName'))) {
        requests.push(
          passRole(
            generated('CustomLambdaServiceRole'),
            'lambda.amazonaws.com',
            `${label}: custom resource role (generated name)`,
          ),
        );
      }
    }
  }
  return requests;
}

/** RoleName of a function's template: its literal part plus -<env> (the CLI's shape), or a generated name. */
function functionRoleName(dir: string, name: string, f: ProjectFacts): string {
  const template = firstTemplate(dir);
  const text = template ? fs.readFileSync(template, 'utf8') : '';
  const literal =
    /"RoleName"\s*:\s*\{\s*"Fn::If"\s*:\s*\[\s*"ShouldNotCreateEnvResources"\s*,\s*"([^"]+)"/.exec(text)?.[1];
  if (literal) return `${literal}-${f.env}`;
  if (/"RoleName"/.test(text)) {
    const parameterName = str(readJson(path.join(dir, 'parameters.json')).roleName);
    if (parameterName) return `${parameterName}-${f.env}`;
  }
  return template
    ? `${f.rootStack.slice(0, 25)}-LambdaExecutionRole-1ABCDEFGHIJK`
    : `${f.projectName}LambdaRole1a2b3c4d-${f.env}`.replace(/^$/, name);
}

function firstTemplate(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const file = fs.readdirSync(dir).find((name) => /template\.(json|ya?ml)$/.test(name));
  return file ? path.join(dir, file) : undefined;
}

function appSyncModels(dir: string): string[] {
  const schemaFile = ['schema.graphql', path.join('build', 'schema.graphql')]
    .map((f) => path.join(dir, f))
    .find((f) => fs.existsSync(f));
  const schema = schemaFile ? fs.readFileSync(schemaFile, 'utf8') : '';
  return [...schema.matchAll(/type\s+(\w+)[^{]*@model/g)].map((m) => m[1]);
}
