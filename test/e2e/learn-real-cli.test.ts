import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { projectCopy, quietCliEnv, runAmplify, skipWithoutRealCli } from '../support/real-cli';

/**
 * `amplify least-privilege learn` inside the real Amplify CLI 14.2.2 (offline), in a copy of
 * examples/lpdemo. The denial has the SDK AccessDenied form of test/learn/denial-samples.json
 * with the project's names.
 */
describe('e2e: learn through the real Amplify CLI', function () {
  this.timeout(240_000);
  const env = quietCliEnv();
  let project: string;
  const resource =
    'arn:aws:ssm:us-east-1:123456789012:parameter/amplify/d1234567890abc/dev/AMPLIFY_lpfn_secret';
  const message = `User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: ssm:AddTagsToResource on resource: ${resource} because no identity-based policy allows the ssm:AddTagsToResource action`;

  before(function () {
    skipWithoutRealCli(this);
    project = projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'));
    const added = runAmplify(['plugin', 'add', REPO_ROOT], project, env);
    assert.equal(added.status, 0, added.output);
  });
  after(() => project && fs.rmSync(project, { recursive: true, force: true }));

  it('`amplify least-privilege learn --message ... --yes` records the grant; generate and explain show it with its source', () => {
    const learned = runAmplify(['least-privilege', 'learn', '--message', message, '--yes'], project, env);
    assert.equal(learned.status, 0, learned.output);
    assert.match(
      learned.stdout,
      /\+ ssm:AddTagsToResource on arn:aws:ssm:us-east-1:123456789012:parameter\/amplify\/d1234567890abc\/dev\/AMPLIFY_lpfn_secret/,
    );
    const overrides = JSON.parse(
      fs.readFileSync(path.join(project, 'amplify', 'least-privilege', 'overrides.json'), 'utf8'),
    );
    assert.deepEqual(overrides.grants[0].resources, [resource]);
    assert.equal(overrides.grants[0].learned.message, message);
    assert.equal(runAmplify(['least-privilege', 'generate'], project, env).status, 0);
    const explained = runAmplify(['least-privilege', 'explain', 'ssm:AddTagsToResource'], project, env);
    assert.equal(explained.status, 0, explained.output);
    assert.match(
      explained.stdout,
      /overrides\.json grants\[0\] \(granted as written\): learned \d{4}-\d{2}-\d{2} from a message/,
    );
  });

  it('refuses a grant outside the project with the resolution, through the host CLI', () => {
    const outside = message.replace(/123456789012/g, '999999999999');
    const refused = runAmplify(['least-privilege', 'learn', '--message', outside, '--yes'], project, env);
    assert.notEqual(refused.status, 0);
    assert.match(refused.output, /outside the project/);
    assert.match(
      refused.output,
      /Resolution: If the project really needs it, run learn again with --allow-outside/,
    );
  });
});
