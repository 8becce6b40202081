import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CraftedProject {
  /** Resources of one custom CloudFormation stack (category custom, resource `crafted`). */
  readonly resources?: Record<string, unknown>;
  /** Stack tags in amplify/backend/tags.json (the CLI writes two by default). */
  readonly stackTags?: boolean;
  readonly permissionsBoundaryArn?: string;
  /** Deployed version of the crafted stack (amplify/#current-cloud-backend). */
  readonly deployedResources?: Record<string, unknown>;
  /** Extra backend-config entries (category → name → settings). */
  readonly backend?: Record<string, Record<string, unknown>>;
  /** Leave team-provider-info.json out (a project that never recorded its env). */
  readonly unknownEnv?: boolean;
}

/**
 * An initialized project in the shape ../shared/real-cli/mkproj.sh writes (project lp, env dev,
 * account 123456789012, eu-west-1), with one custom CloudFormation resource whose template
 * holds `resources`: the smallest project that isolates one resource type.
 */
export function writeCraftedProject(spec: CraftedProject): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-crafted-'));
  const write = (relative: string, value: unknown): void => {
    const file = path.join(root, 'amplify', relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(value, null, 2));
  };
  const stack = 'amplify-lp-dev-12345';
  const provider: Record<string, string> = {
    AuthRoleName: `${stack}-authRole`,
    UnauthRoleName: `${stack}-unauthRole`,
    AuthRoleArn: `arn:aws:iam::123456789012:role/${stack}-authRole`,
    Region: 'eu-west-1',
    DeploymentBucketName: `${stack}-deployment`,
    StackName: stack,
    StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${stack}/00000000-0000-0000-0000-000000000000`,
    AmplifyAppId: 'd1234567890abc',
  };
  if (spec.permissionsBoundaryArn) provider.PermissionsBoundaryPolicyArn = spec.permissionsBoundaryArn;
  write('.config/project-config.json', {
    projectName: 'lp',
    version: '3.1',
    frontend: 'javascript',
    providers: ['awscloudformation'],
  });
  if (!spec.unknownEnv) {
    write('.config/local-env-info.json', { projectPath: root, envName: 'dev' });
    write('team-provider-info.json', { dev: { awscloudformation: provider } });
  }
  const backend: Record<string, Record<string, unknown>> = { ...(spec.backend ?? {}) };
  if (spec.resources) {
    backend.custom = { crafted: { service: 'customCloudformation', providerPlugin: 'awscloudformation' } };
    write('backend/custom/crafted/crafted-cloudformation-template.json', template(spec.resources));
  }
  if (spec.deployedResources) {
    write(
      '#current-cloud-backend/custom/crafted/crafted-cloudformation-template.json',
      template(spec.deployedResources),
    );
  }
  write('backend/backend-config.json', backend);
  if (spec.stackTags) {
    write('backend/tags.json', [
      { Key: 'user:Stack', Value: '{project-env}' },
      { Key: 'user:Application', Value: '{project-name}' },
    ]);
  }
  return root;
}

const template = (resources: Record<string, unknown>): unknown => ({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { env: { Type: 'String' } },
  Resources: resources,
});
