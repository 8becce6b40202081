import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import {
  checkTrace,
  generatePolicy,
  runTrace,
  skipWithoutTraceTools,
  unexplainedDenials,
  type TraceRun,
} from '../support/trace';

/**
 * The one trace in `npm test`: the real Amplify CLI 14.2.2 pushes examples/lpdemo (auth, AppSync
 * API, S3 storage, geo map, function) against moto, and every AWS call it makes itself must be
 * allowed by the push policy generated from the example. The other commands and examples are
 * traced by `npm run test:trace` (test/trace/*.trace.ts).
 */
describe('trace: the real CLI pushes examples/lpdemo with the generated push policy', function () {
  this.timeout(600_000);
  const project = path.join(REPO_ROOT, 'examples', 'lpdemo');
  let run: TraceRun;

  before(function () {
    skipWithoutTraceTools(this);
    run = runTrace(project, [['push', '--yes']]);
  });

  it('pushes (exit 0) and records the deployment and the post-push codegen', () => {
    assert.equal(run.status, 0, `${run.summary}\n${run.cliOut.slice(-3000)}`);
    const actions = new Set(run.records.map((r) => r.action));
    for (const action of ['cloudformation:UpdateStack', 's3:PutObject', 'appsync:GetIntrospectionSchema'])
      assert.ok(actions.has(action), `${action} in ${[...actions].join(', ')}`);
  });

  it('every call is allowed by the push policy, simulated as a direct call', () => {
    const policy = generatePolicy(project, ['push']);
    const check = checkTrace(run.records, policy.file);
    assert.ok(check.checked > 40, `${check.checked} checks`);
    assert.deepEqual(unexplainedDenials(check.denied), [], check.lines.join('\n'));
  });
});
