/**
 * The modules that load the AWS SDK, required only when a command talks to AWS: never by
 * generate, by check without --verify, or by the pre-push fast path. The SDK's Node 20
 * deprecation warning would land in the user's output: it is turned off first.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loads */

function quietSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** attach and generate --attach; the guard's update mode. */
export function loadAttach(): typeof import('./attach/attach-command') {
  quietSdk();
  return require('./attach/attach-command');
}

/** check --verify and the guard's verify setting. */
export function loadVerify(): typeof import('./guard/verify') {
  quietSdk();
  return require('./guard/verify');
}

/** learn --stack-events. */
export function loadStackEvents(): typeof import('./overrides/stack-events') {
  quietSdk();
  return require('./overrides/stack-events');
}
