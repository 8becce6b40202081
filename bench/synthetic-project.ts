import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** How many resources of each kind the synthetic project gets (1,000 in all). */
export const SYNTHETIC_MIX = {
  functionsWithTemplates: 500,
  dynamoTables: 200,
  s3Buckets: 150,
  restApis: 100,
  layers: 50,
};

/**
 * Resource names share the prefix `synthetic`: when so many names do not fit IAM's limits,
 * they fold to `synthetic*-dev`-like patterns; names with no common prefix of six characters
 * or more cannot be folded without reaching beyond the project, and generate fails with why.
 *
 * Writes an initialized Amplify project with 1,000 resources times `scale` (functions with
 * templates in the CLI's own shape, DynamoDB tables, S3 buckets, REST APIs and layers without
 * built templates) into a temporary folder and returns its path.
 */
export function writeSyntheticProject(scale = 1): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-synthetic-'));
  const amplify = path.join(root, 'amplify');
  const write = (relative: string, value: unknown): void => {
    fs.mkdirSync(path.dirname(path.join(amplify, relative)), { recursive: true });
    fs.writeFileSync(path.join(amplify, relative), JSON.stringify(value, null, 2));
  };
  const stack = 'amplify-synthetic-dev-12345';
  const provider = {
    AuthRoleName: `${stack}-authRole`,
    UnauthRoleName: `${stack}-unauthRole`,
    AuthRoleArn: `arn:aws:iam::123456789012:role/${stack}-authRole`,
    Region: 'us-east-1',
    DeploymentBucketName: `${stack}-deployment`,
    StackName: stack,
    StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${stack}/00000000-0000-0000-0000-000000000000`,
    AmplifyAppId: 'd1234567890abc',
  };
  write('.config/project-config.json', {
    projectName: 'synthetic',
    version: '3.1',
    frontend: 'javascript',
    providers: ['awscloudformation'],
  });
  write('.config/local-env-info.json', { projectPath: root, defaultEditor: 'none', envName: 'dev' });
  write('team-provider-info.json', { dev: { awscloudformation: provider } });
  const backend: Record<string, Record<string, unknown>> = { function: {}, storage: {}, api: {} };
  const [functionsWithTemplates, dynamoTables, s3Buckets, restApis, layers] = [
    SYNTHETIC_MIX.functionsWithTemplates,
    SYNTHETIC_MIX.dynamoTables,
    SYNTHETIC_MIX.s3Buckets,
    SYNTHETIC_MIX.restApis,
    SYNTHETIC_MIX.layers,
  ].map((count) => count * scale);
  for (let i = 0; i < functionsWithTemplates; i++) {
    const name = `syntheticfn${i}`;
    backend.function[name] = { service: 'Lambda', providerPlugin: 'awscloudformation', build: true };
    write(
      `backend/function/${name}/${name}-cloudformation-template.json`,
      functionTemplate(name, `syntheticLambdaRole${i}`),
    );
  }
  for (let i = 0; i < layers; i++)
    backend.function[`syntheticlayer${i}`] = { service: 'LambdaLayer', providerPlugin: 'awscloudformation' };
  for (let i = 0; i < dynamoTables; i++)
    backend.storage[`synthetictable${i}`] = { service: 'DynamoDB', providerPlugin: 'awscloudformation' };
  for (let i = 0; i < s3Buckets; i++)
    backend.storage[`syntheticbucket${i}`] = { service: 'S3', providerPlugin: 'awscloudformation' };
  for (let i = 0; i < restApis; i++)
    backend.api[`syntheticrest${i}`] = { service: 'API Gateway', providerPlugin: 'awscloudformation' };
  write('backend/backend-config.json', backend);
  write('backend/amplify-meta.json', { providers: { awscloudformation: provider } });
  return root;
}

/** The shape `amplify add function` writes (category-function lambda template), reduced to what the engine reads. */
function functionTemplate(name: string, roleName: string): unknown {
  const perEnv = (base: string): unknown => ({
    'Fn::If': ['ShouldNotCreateEnvResources', base, { 'Fn::Join': ['', [base, '-', { Ref: 'env' }]] }],
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: {
      env: { Type: 'String' },
      deploymentBucketName: { Type: 'String' },
      s3Key: { Type: 'String' },
    },
    Conditions: { ShouldNotCreateEnvResources: { 'Fn::Equals': [{ Ref: 'env' }, 'NONE'] } },
    Resources: {
      LambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { S3Bucket: { Ref: 'deploymentBucketName' }, S3Key: { Ref: 's3Key' } },
          FunctionName: perEnv(name),
          Role: { 'Fn::GetAtt': ['LambdaExecutionRole', 'Arn'] },
          Runtime: 'nodejs22.x',
        },
      },
      LambdaExecutionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: perEnv(roleName),
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: ['lambda.amazonaws.com'] },
                Action: ['sts:AssumeRole'],
              },
            ],
          },
        },
      },
      lambdaexecutionpolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'lambda-execution-policy',
          Roles: [{ Ref: 'LambdaExecutionRole' }],
          PolicyDocument: {},
        },
      },
    },
  };
}
