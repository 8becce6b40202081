import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LeastPrivilegeError } from '../../src/errors';
import { writeGuardConfig } from '../../src/outputs/guard-files';
import { writeCraftedProject } from '../support/crafted-project';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { prePush } from '../support/pre-push';
import { runBin } from '../support/run-bin';

/**
 * The guard never reads a broken file of its own as something milder: a config.json that does
 * not parse stops the push (it may have said block), and a state or policy file that cannot be
 * used is an error naming the file and why, never "no policy".
 */
const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const POLICY = 'amplify/least-privilege/amplify-lpdemo-dev-least-privilege.json';
const CONFIG = 'amplify/least-privilege/config.json';

function generated(): string {
  const project = copyToTemp(LPDEMO);
  const result = runBin(['generate', '--project-dir', project]);
  assert.equal(result.status, 0, result.stderr);
  return project;
}

describe('guard: broken configuration', function () {
  this.timeout(60_000);

  it('a syntax error in config.json (mode block) stops the push with the parse error and the fix', async () => {
    const project = generated();
    fs.writeFileSync(path.join(project, CONFIG), '{ "mode": "block", }');
    const { error } = await prePush(project);
    assert.ok(error instanceof LeastPrivilegeError && error.kind === 'blocked', String(error));
    assert.match(error.message, /config\.json is not valid JSON \(.+\)/);
    assert.match(error.message, /cannot tell which mode it is in/);
    assert.match(error.resolution, /configure --mode MODE/);
  });

  it('an unknown mode or a verify that is not a boolean stops it too', async () => {
    const project = generated();
    fs.writeFileSync(path.join(project, CONFIG), '{"mode": "blok"}');
    const typo = await prePush(project);
    assert.ok(typo.error instanceof LeastPrivilegeError && typo.error.kind === 'blocked');
    assert.match(typo.error.message, /mode "blok" is not one of off, warn, block, update/);
    fs.writeFileSync(path.join(project, CONFIG), '{"mode": "warn", "verify": "yes"}');
    assert.ok((await prePush(project)).error instanceof LeastPrivilegeError);
  });

  it('configure repairs it only when told the mode', () => {
    const project = generated();
    fs.writeFileSync(path.join(project, CONFIG), '{ "mode": "block", }');
    const refused = runBin(['configure', '--verify', '--project-dir', project]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /is not valid JSON.*stops every push[\s\S]*Pass --mode/);
    assert.equal(runBin(['configure', '--mode', 'block', '--project-dir', project]).status, 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(project, CONFIG), 'utf8')), {
      mode: 'block',
      verify: false,
    });
  });
});

describe('guard: invalid state and policy files are errors, not "no policy"', function () {
  this.timeout(60_000);
  const cases: Array<[string, (project: string) => void, RegExp]> = [
    [
      'a policy file that is not JSON',
      (p) => fs.writeFileSync(path.join(p, POLICY), '{"Version": "2012-10-17", "Statement": ['),
      /amplify-lpdemo-dev-least-privilege\.json is not valid JSON/,
    ],
    [
      'a policy file that is not a policy document',
      (p) =>
        fs.writeFileSync(
          path.join(p, POLICY),
          JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] }),
        ),
      /amplify-lpdemo-dev-least-privilege\.json is not an IAM policy document: statement 1 needs exactly one of Action and NotAction/,
    ],
    [
      'a policy file the state lists that is gone',
      (p) => fs.rmSync(path.join(p, POLICY)),
      /amplify-lpdemo-dev-least-privilege\.json is listed in the guard's state but does not exist/,
    ],
    [
      'a state file that is not a state',
      (p) =>
        fs.writeFileSync(
          path.join(p, 'amplify/least-privilege/state-dev.json'),
          JSON.stringify({ version: 1 }),
        ),
      /state-dev\.json is not a valid state file: no inputsHash/,
    ],
  ];

  for (const [what, breakIt, message] of cases) {
    it(`${what}: check exits 1 naming the file and why; block stops the push; warn warns`, async () => {
      const project = generated();
      breakIt(project);
      const check = runBin(['check', '--project-dir', project]);
      assert.equal(check.status, 1);
      assert.match(check.stderr, message);
      assert.doesNotMatch(check.stderr, /No policy for env/);
      const json = runBin(['check', '--json', '--project-dir', project]);
      assert.equal(json.status, 1);
      const report = JSON.parse(json.stdout);
      assert.equal(report.status, 'invalid-policy');
      assert.match(report.error, message);

      writeGuardConfig(project, { mode: 'block', verify: false });
      const blocked = await prePush(project);
      assert.ok(
        blocked.error instanceof LeastPrivilegeError && blocked.error.kind === 'blocked',
        blocked.said,
      );
      assert.match(blocked.error.message, message);
      writeGuardConfig(project, { mode: 'warn', verify: false });
      const warned = await prePush(project);
      assert.equal(warned.error, undefined);
      assert.match(warned.said, /warning \(mode warn, the push goes on\)/);
    });
  }
});

describe('guard: "needed by" names the resource that needs the action', function () {
  this.timeout(60_000);

  it('with two functions, the missing CreateFunction on one names that one only', () => {
    const fn = (name: string) => ({
      [`Fn${name}`]: {
        Type: 'AWS::Lambda::Function',
        Properties: { FunctionName: { 'Fn::Join': ['-', [name, { Ref: 'env' }]] } },
      },
    });
    const project = writeCraftedProject({ resources: {} });
    const backend = path.join(project, 'amplify/backend');
    const config = JSON.parse(fs.readFileSync(path.join(backend, 'backend-config.json'), 'utf8'));
    config.custom = {};
    for (const name of ['alpha', 'beta']) {
      config.custom[name] = { service: 'customCloudformation', providerPlugin: 'awscloudformation' };
      fs.mkdirSync(path.join(backend, 'custom', name), { recursive: true });
      fs.writeFileSync(
        path.join(backend, 'custom', name, `${name}-cloudformation-template.json`),
        JSON.stringify({ Parameters: { env: { Type: 'String' } }, Resources: fn(name) }),
      );
    }
    fs.writeFileSync(path.join(backend, 'backend-config.json'), JSON.stringify(config));
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const policy = path.join(project, 'amplify/least-privilege/amplify-lp-dev-least-privilege.json');
    const document = JSON.parse(fs.readFileSync(policy, 'utf8'));
    // Keep CreateFunction on alpha only.
    document.Statement = document.Statement.flatMap((s: { Action: string[]; Resource: string[] }) =>
      s.Action.includes('lambda:CreateFunction')
        ? [
            { ...s, Action: s.Action.filter((a) => a !== 'lambda:CreateFunction') },
            {
              ...s,
              Action: ['lambda:CreateFunction'],
              Resource: s.Resource.filter((r) => !r.endsWith(':function:beta-dev')),
            },
          ]
        : [s],
    );
    fs.writeFileSync(policy, JSON.stringify(document));
    const check = runBin(['check', '--json', '--project-dir', project]);
    const missing = JSON.parse(check.stdout).missing as Array<{
      action: string;
      resource: string;
      neededBy: string[];
    }>;
    const create = missing.filter((m) => m.action === 'lambda:CreateFunction');
    assert.deepEqual(
      create.map((m) => [m.resource, m.neededBy]),
      [
        [
          'arn:aws:lambda:eu-west-1:123456789012:function:beta-dev',
          ['custom/beta: AWS::Lambda::Function create handler'],
        ],
      ],
    );
  });
});
