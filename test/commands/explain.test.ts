import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'lpdemo');

describe('command: explain', function () {
  this.timeout(30_000);
  it('says which resources and phases need iam:PassRole and why', () => {
    const result = runBin(['explain', 'iam:PassRole', '--project-dir', EXAMPLE]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /iam:PassRole/);
    assert.match(
      result.stdout,
      /push: CloudFormation, for function\/lpfn: AWS::Lambda::Function create\/update handler \(for the execution role passed to Lambda \(Role\): data\/handler-trimming\.json\) \[data\/cfn-handler-permissions\/aws-lambda\.json\]/,
      'a cross-service action says which property asks for it',
    );
    assert.match(result.stdout, /iam:PassedToService/);
    assert.ok(!/cloudformation:UpdateStack/.test(result.stdout), 'only matching actions are shown');
  });

  it('shows an action the registry omits with its own data file (data/cfn-handler-additions.json)', () => {
    const result = runBin(['explain', 'lambda:GetLayerVersion', '--project-dir', EXAMPLE]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /AWS::Lambda::Function update handler \(not in the registry's list: lambda:GetLayerVersion\) \[data\/cfn-handler-additions\.json\]/,
    );
  });

  it('finds statements by resource and shows the CLI reasons with their source', () => {
    const result = runBin(['explain', '*deployment*', '--project-dir', EXAMPLE]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /the Amplify CLI calls it: push uploads nested templates/);
    assert.match(result.stdout, /data\/cli-calls\.json#deployment-bucket-objects/);
  });

  it('marks actions IAM cannot scope, and explains every statement without a term', () => {
    const result = runBin(['explain', '--json', '--project-dir', EXAMPLE]);
    assert.equal(result.status, 0, result.stderr);
    const { statements } = JSON.parse(result.stdout);
    assert.ok(statements.length > 5);
    for (const s of statements)
      for (const a of s.actions) assert.ok(a.reasons.length > 0, `${s.sid} ${a.action} has a reason`);
    const listApps = statements
      .flatMap((s: { actions: Array<{ action: string; wildcardOnly: boolean }> }) => s.actions)
      .find((a: { action: string }) => a.action === 'amplify:ListApps');
    assert.equal(listApps.wildcardOnly, true);
  });

  it('says so when nothing matches', () => {
    const result = runBin(['explain', 'no-such-thing', '--project-dir', EXAMPLE]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /No statement matches/);
  });
});
