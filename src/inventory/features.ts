import * as path from 'node:path';
import type { ProjectContext } from '../model';
import { readGuardConfig } from '../guard/guard-files';
import { asRecord, pathExists, readJsonIfExists } from '../discovery/read-files';
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
  if (
    ['.graphqlconfig.yml', '.graphqlconfig.yaml'].some((file) => pathExists(path.join(context.rootDir, file)))
  ) {
    features.push('codegen');
  }
  if (context.frontend === 'ios' || context.frontend === 'android') features.push('nativeFrontend');
  if (context.permissionsBoundaryArn) features.push('permissionsBoundary');
  // Stack tags (tags.json) are propagated by CloudFormation to every resource that supports tags.
  const tags = readJsonIfExists(
    path.join(context.rootDir, 'amplify', 'backend', 'tags.json'),
    context.rootDir,
  );
  if (Array.isArray(tags) && tags.length > 0) features.push('stackTags');
  if (readGuardConfig(context.rootDir).config.verify) features.push('guardVerify');
  return features;
}

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
  return Array.isArray(cognito.authProvidersUserPool) && cognito.authProvidersUserPool.length > 0;
}
