import path = require('node:path');
import type { ProjectContext } from '../model';
import { asRecord, readJsonIfExists } from '../discovery/read-files';
import type { BackendEntry } from './backend-entries';
import type { TemplateFile } from './template-files';

/**
 * Project features that switch CLI calls on (data/cli-calls.json `when.features`).
 * Each detector reads only files the CLI itself writes.
 */
export function detectFeatures(
  context: ProjectContext,
  entries: readonly BackendEntry[],
  templatesOf: (entry: BackendEntry) => readonly TemplateFile[],
): string[] {
  const features: string[] = [];
  const functions = entries.filter((entry) => entry.category === 'function');
  // A function with secrets gets the secretsPathAmplifyAppId parameter (category-function secrets).
  if (
    functions.some((entry) =>
      templatesOf(entry).some((t) => 'secretsPathAmplifyAppId' in asRecord(t.template.Parameters)),
    )
  ) {
    features.push('functionSecrets');
  }
  if (entries.some((entry) => entry.category === 'auth' && hasSocialProviders(context.rootDir, entry))) {
    features.push('authSocialProviders');
  }
  if (context.frontend === 'ios' || context.frontend === 'android') features.push('nativeFrontend');
  // Amplify Studio's UI components are generated only for React projects (amplify-util-uibuilder shouldRenderComponents).
  if (javascriptFramework(context.rootDir) === 'react') features.push('reactFrontend');
  // An env without an app id gets one after its push (provider amplify-service-manager.ts postPushCheck).
  if (!context.appId) features.push('noAmplifyAppId');
  // S3 hosting without CloudFront makes the uploaded files public-read (category-hosting upload-file.js).
  if (entries.some((entry) => isS3HostingWithoutCloudFront(entry, templatesOf(entry))))
    features.push('s3HostingWithoutCloudFront');
  if (context.permissionsBoundaryArn) features.push('permissionsBoundary');
  // Stack tags (tags.json) are propagated by CloudFormation to every resource that supports tags.
  const tags = readJsonIfExists(
    path.join(context.rootDir, 'amplify', 'backend', 'tags.json'),
    context.rootDir,
  );
  if (Array.isArray(tags) && tags.length > 0) features.push('stackTags');
  if (context.guardVerify) features.push('guardVerify');
  return features;
}

function javascriptFramework(rootDir: string): string | undefined {
  const config = asRecord(
    readJsonIfExists(path.join(rootDir, 'amplify', '.config', 'project-config.json'), rootDir),
  );
  const framework = asRecord(config.javascript).framework;
  return typeof framework === 'string' ? framework : undefined;
}

function isS3HostingWithoutCloudFront(entry: BackendEntry, templates: readonly TemplateFile[]): boolean {
  if (entry.category !== 'hosting' || entry.service !== 'S3AndCloudFront' || templates.length === 0)
    return false;
  return !templates.some((t) =>
    Object.values(asRecord(t.template.Resources)).some(
      (resource) => asRecord(resource).Type === 'AWS::CloudFront::Distribution',
    ),
  );
}

/** Social providers, or a hosted UI whose providers' secrets are read back from the user pool on env init. */
function hasSocialProviders(rootDir: string, entry: BackendEntry): boolean {
  const frontendConfig = asRecord(entry.settings.frontendAuthConfig);
  if (Array.isArray(frontendConfig.socialProviders) && frontendConfig.socialProviders.length > 0) return true;
  const inputs = asRecord(
    readJsonIfExists(
      path.join(rootDir, 'amplify', 'backend', 'auth', entry.name, 'cli-inputs.json'),
      rootDir,
    ),
  );
  const cognito = asRecord(inputs.cognitoConfig);
  // category-auth updateConfigOnEnvInit reads the providers back whenever hostedUIProviderMeta is set (even "[]").
  if (typeof cognito.hostedUIProviderMeta === 'string' && cognito.hostedUIProviderMeta !== '') return true;
  const parameters = asRecord(
    readJsonIfExists(
      path.join(rootDir, 'amplify', 'backend', 'auth', entry.name, 'parameters.json'),
      rootDir,
    ),
  );
  if (typeof parameters.hostedUIProviderMeta === 'string' && parameters.hostedUIProviderMeta !== '')
    return true;
  return Array.isArray(cognito.authProvidersUserPool) && cognito.authProvidersUserPool.length > 0;
}
