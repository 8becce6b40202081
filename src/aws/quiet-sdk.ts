/**
 * The AWS SDK's Node 20 deprecation warning would land in the user's output: turned off before
 * a module that loads the SDK is required (the lazy loaders of attach, check --verify, learn).
 */
export function quietSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
