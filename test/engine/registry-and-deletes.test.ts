import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { LeastPrivilegeError } from '../../src/errors';
import { writeGuardConfig } from '../../src/outputs/guard-files';
import { writeCraftedProject } from '../support/crafted-project';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { prePush } from '../support/pre-push';
import { runBin } from '../support/run-bin';
import { deniedRequests, VIA_CLOUDFORMATION } from '../support/simulate';
import { needs } from '../support/grants';

const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const LPFULL = path.join(REPO_ROOT, 'examples', 'lpfull');
const ACCOUNT = '123456789012';

/** Requirements for one resource (label as the engine writes it). */
const actionsFor = (result: GenerateResult, resource: string): Set<string> =>
  new Set(
    needs(result)
      .filter((r) => r.reason.resource === resource)
      .map((r) => r.action),
  );

/** A copy of a real example as the last push left it: amplify/#current-cloud-backend holds the backend. */
function pushedCopy(source: string): string {
  const project = copyToTemp(source);
  const amplify = path.join(project, 'amplify');
  fs.cpSync(path.join(amplify, 'backend'), path.join(amplify, '#current-cloud-backend'), { recursive: true });
  return project;
}

/** `amplify remove <category> <name>`: the entry leaves backend-config and its folder goes. */
function removeResource(project: string, category: string, name: string): void {
  const file = path.join(project, 'amplify', 'backend', 'backend-config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete config[category][name];
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  fs.rmSync(path.join(project, 'amplify', 'backend', category, name), { recursive: true, force: true });
}

describe('registry: every CloudFormation resource type has handler permissions', function () {
  this.timeout(60_000);

  it('grants a custom stack the handlers of types outside the 89 Amplify ones, through CloudFormation', async () => {
    const projectDir = writeCraftedProject({
      resources: {
        Fn: { Type: 'AWS::CloudFront::Function', Properties: { Name: 'lp-fn', AutoPublish: true } },
        Activity: { Type: 'AWS::StepFunctions::Activity', Properties: { Name: 'lp-activity' } },
        Schedule: {
          Type: 'AWS::Scheduler::Schedule',
          Properties: { Name: 'lp-schedule', ScheduleExpression: 'rate(1 day)' },
        },
      },
    });
    const result = await generatePolicies({ projectDir, phases: ['push'] });
    assert.deepEqual(result.unknownTypes, []);
    assert.ok(
      !result.warnings.some(({ text: w }) => /No handler permissions/.test(w)),
      result.warnings.map((w) => w.text).join('\n'),
    );
    const granted = actionsFor(result, 'custom/crafted');
    for (const action of [
      'cloudfront:CreateFunction',
      'cloudfront:PublishFunction',
      'cloudfront:UpdateFunction',
      'states:CreateActivity',
      'scheduler:CreateSchedule',
      'scheduler:UpdateSchedule',
    ])
      assert.ok(granted.has(action), `custom/crafted needs ${action}`);
    const sources = new Set(
      needs(result)
        .filter((r) => r.reason.resource === 'custom/crafted')
        .map((r) => r.reason.source),
    );
    assert.ok(sources.has('data/cfn-handler-permissions/aws-cloudfront.json'), [...sources].join(' '));
    const denied = await deniedRequests(result.policies, [
      {
        action: 'scheduler:CreateSchedule',
        resource: `arn:aws:scheduler:eu-west-1:${ACCOUNT}:schedule/default/lp-schedule`,
        context: VIA_CLOUDFORMATION,
        why: 'the Scheduler::Schedule create handler',
      },
      {
        action: 'states:CreateActivity',
        resource: `arn:aws:states:eu-west-1:${ACCOUNT}:activity:lp-activity`,
        context: VIA_CLOUDFORMATION,
        why: 'the StepFunctions::Activity create handler',
      },
    ]);
    assert.deepEqual(denied, []);
  });

  it('reports a type nobody knows as structured data: warning in generate and check, error in block mode', async () => {
    const projectDir = writeCraftedProject({
      resources: {
        Made: { Type: 'AWS::MadeUp::Thing', Properties: {} },
        Macro: { Type: 'AWS::CloudFormation::Macro', Properties: { Name: 'm', FunctionName: 'f' } },
      },
    });
    const result = await generatePolicies({ projectDir, phases: ['push'] });
    assert.deepEqual(
      result.unknownTypes.map((u) => [
        u.type,
        u.resources,
        /registry schema lists no handler/.test(u.reason),
      ]),
      [
        ['AWS::MadeUp::Thing', ['custom/crafted'], false],
        ['AWS::CloudFormation::Macro', ['custom/crafted'], true],
      ],
    );
    assert.ok(
      result.warnings.some(({ text: w }) =>
        w.startsWith('No handler permissions known for AWS::MadeUp::Thing'),
      ),
    );

    const generated = runBin(['generate', '--project-dir', projectDir, '--phases', 'push']);
    assert.equal(generated.status, 0, generated.stderr);
    assert.match(generated.stderr, /warning: No handler permissions known for AWS::MadeUp::Thing/);
    const json = JSON.parse(runBin(['generate', '--json', '--project-dir', projectDir]).stdout);
    assert.deepEqual(
      json.unknownTypes.map((u: { type: string }) => u.type),
      ['AWS::MadeUp::Thing', 'AWS::CloudFormation::Macro'],
    );
    const check = runBin(['check', '--project-dir', projectDir]);
    assert.match(check.stderr, /warning: The policy grants nothing for 2 resource type\(s\)/);
    const checkJson = JSON.parse(runBin(['check', '--json', '--project-dir', projectDir]).stdout);
    assert.equal(checkJson.unknownTypes.length, 2);

    // The guard: nothing changed since generate, yet mode block stops every push; warn goes on.
    writeGuardConfig(projectDir, { mode: 'block', verify: false });
    const blocked = await prePush(projectDir);
    assert.ok(blocked.error instanceof LeastPrivilegeError, String(blocked.error));
    assert.match((blocked.error as Error).message, /AWS::MadeUp::Thing \(custom\/crafted; not a type/);
    assert.match((blocked.error as LeastPrivilegeError).resolution ?? '', /configure --mode warn/);
    writeGuardConfig(projectDir, { mode: 'warn', verify: false });
    const warned = await prePush(projectDir);
    assert.equal(warned.error, undefined);
  });
});

describe('deletes: push removes stateless resources through CloudFormation, never data', function () {
  this.timeout(120_000);

  it('a function removed since the last push: push allows its deletes on its deployed names, via CloudFormation', async () => {
    const project = pushedCopy(LPDEMO);
    removeResource(project, 'function', 'lpfn');
    const result = await generatePolicies({ projectDir: project, phases: ['push'] });
    assert.deepEqual(
      result.inventory.changes
        .filter((c) => c.resource === 'function/lpfn')
        .map((c) => [c.type, c.change])
        .sort(),
      [
        ['AWS::IAM::Role', 'removed'],
        ['AWS::Lambda::Function', 'removed'],
        ['AWS::IAM::Policy', 'removed'],
      ].sort(),
    );
    const removed = actionsFor(result, 'function/lpfn (removed)');
    for (const action of ['lambda:DeleteFunction', 'iam:DeleteRole', 'iam:DeleteRolePolicy'])
      assert.ok(removed.has(action), `removed function needs ${action}`);
    assert.ok(!removed.has('lambda:CreateFunction'), 'a removed function is not created again');
    assert.deepEqual(result.statefulRemovals, [], 'a function holds no data');
    const denied = await deniedRequests(result.policies, [
      {
        action: 'lambda:DeleteFunction',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:lpfn-dev`,
        context: VIA_CLOUDFORMATION,
        why: 'CloudFormation deletes the removed function',
      },
      {
        action: 'iam:DeleteRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/lpdemoLambdaRole5ad040ea-dev`,
        context: VIA_CLOUDFORMATION,
        why: "CloudFormation deletes the removed function's role",
      },
    ]);
    assert.deepEqual(denied, []);
    // Only through CloudFormation: the same delete made directly is not allowed.
    const direct = await deniedRequests(result.policies, [
      {
        action: 'lambda:DeleteFunction',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:lpfn-dev`,
        why: 'a direct call',
      },
    ]);
    assert.equal(direct.length, 1);
  });

  it('a table removed since the last push: not granted, listed in trimmed, and check and the guard warn', async () => {
    const project = pushedCopy(LPFULL);
    writeGuardConfig(project, { mode: 'block', verify: false });
    const before = runBin(['generate', '--project-dir', project]);
    assert.equal(before.status, 0, before.stderr);
    removeResource(project, 'storage', 'lptable');

    const result = await generatePolicies({ projectDir: project, phases: ['push'] });
    assert.ok(!actionsFor(result, 'storage/lptable (removed)').has('dynamodb:DeleteTable'));
    const trimmed = result.trimmed.find(
      (t) => t.resource === 'storage/lptable (removed)' && t.action === 'dynamodb:DeleteTable',
    );
    assert.match(trimmed?.reason ?? '', /destroys data \(holds the table's items\).*--phases push,delete/);
    assert.deepEqual(
      result.statefulRemovals.map((r) => [r.resource, r.type, r.change]),
      [['storage/lptable', 'AWS::DynamoDB::Table', 'removed']],
    );
    assert.ok(
      result.warnings.some(({ text: w }) =>
        /removes AWS::DynamoDB::Table .* of storage\/lptable.*leaves it behind/.test(w),
      ),
    );

    const check = runBin(['check', '--project-dir', project]);
    assert.match(check.stderr, /warning: The next push removes AWS::DynamoDB::Table/);
    assert.match(check.stderr, /generate --phases push,delete/);
    const checkJson = JSON.parse(runBin(['check', '--json', '--project-dir', project]).stdout);
    assert.equal(checkJson.statefulRemovals[0].type, 'AWS::DynamoDB::Table');

    // The guard warns with what to run; removing data is not a missing permission, so block goes on.
    const guard = await prePush(project);
    assert.equal(guard.error, undefined, String(guard.error));
    assert.match(guard.said, /least-privilege: warning: The next push removes AWS::DynamoDB::Table/);
    assert.match(guard.said, /generate --phases push,delete/);

    // With the delete phase the policy lets CloudFormation delete it, and says so.
    const withDelete = await generatePolicies({ projectDir: project, phases: ['push', 'delete'] });
    assert.ok(actionsFor(withDelete, 'storage/lptable (removed)').has('dynamodb:DeleteTable'));
    assert.ok(withDelete.warnings.some(({ text: w }) => /lets CloudFormation delete the old copy/.test(w)));
  });

  it('a table whose create-only TableName changes is a replacement that leaves the data behind', async () => {
    const project = pushedCopy(LPFULL);
    const file = path.join(
      project,
      'amplify',
      'backend',
      'storage',
      'lptable',
      'build',
      'lptable-cloudformation-template.json',
    );
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const table = Object.values<{ Type: string; Properties: Record<string, unknown> }>(
      template.Resources,
    ).find((r) => r.Type === 'AWS::DynamoDB::Table');
    assert.ok(table);
    table.Properties.TableName = 'lptable-renamed-dev';
    fs.writeFileSync(file, JSON.stringify(template, null, 2));
    const result = await generatePolicies({ projectDir: project, phases: ['push'] });
    assert.deepEqual(
      result.statefulRemovals.map((r) => [r.resource, r.change, r.properties]),
      [['storage/lptable', 'replaced', ['TableName']]],
    );
    assert.ok(
      result.warnings.some(({ text: w }) =>
        /replaces AWS::DynamoDB::Table .*TableName changed: a new, empty copy/.test(w),
      ),
    );
  });

  it('an unchanged pushed project has no removals and the same policy as before it was pushed', async () => {
    const pushed = await generatePolicies({ projectDir: pushedCopy(LPDEMO), phases: ['push'] });
    const fresh = await generatePolicies({ projectDir: LPDEMO, phases: ['push'] });
    assert.deepEqual(pushed.inventory.changes, []);
    assert.deepEqual(
      pushed.policies.map((p) => p.document),
      fresh.policies.map((p) => p.document),
    );
  });
});
