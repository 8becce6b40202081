import * as assert from 'node:assert/strict';
import { fastCheck, type SlowCheckRequest } from '../../src/guard/pre-push';
import { handleAmplifyEvent } from '../../src/index';

/**
 * Raises the PrePush event in the project as the Amplify CLI does (the handler reads
 * process.cwd()), capturing what it prints on stderr and the error it throws, if any.
 */
export async function prePush(project: string, yes = false): Promise<{ said: string; error?: unknown }> {
  const cwd = process.cwd();
  const write = process.stderr.write;
  let said = '';
  process.stderr.write = ((chunk: string) => ((said += chunk), true)) as typeof process.stderr.write;
  process.chdir(project);
  try {
    await handleAmplifyEvent({ input: { options: { yes } } }, { event: 'PrePush' });
    return { said };
  } catch (error) {
    return { said, error };
  } finally {
    process.chdir(cwd);
    process.stderr.write = write;
  }
}

/** The fast path's hand-over to the full check, for tests that call slowCheck with their own AWS clients. */
export function slowRequest(project: string, yes: boolean): SlowCheckRequest {
  const fast = fastCheck({ cwd: project, yes }, { say: () => undefined });
  assert.equal(
    fast.kind,
    'slow',
    'the fast path hands over: the project, its policy or the verify setting asks for it',
  );
  return fast;
}
