import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toHostError, type AmplifyContext } from '../../src/amplify-host';
import { asLeastPrivilegeError, LeastPrivilegeError, usageError } from '../../src/errors';
import { writeGuardConfig } from '../../src/outputs/guard-files';
import { writeCraftedProject } from '../support/crafted-project';
import { prePush } from '../support/pre-push';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { realCliInstalled } from '../support/real-cli';
import { runBin } from '../support/run-bin';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'lpdemo');
const OUTPUTS = path.join('amplify', 'least-privilege');

/** Relative path → content of every file under `dir` (links as `link -> target`). */
function files(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, full);
    if (entry.isSymbolicLink()) found[relative] = `link -> ${fs.readlinkSync(full)}`;
    else if (entry.isFile()) found[relative] = fs.readFileSync(full, 'latin1');
  }
  return found;
}

describe('command: --out refuses inputs and folders; accepted targets', function () {
  this.timeout(120_000);
  let project: string;
  before(() => {
    project = copyToTemp(EXAMPLE);
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
  });
  after(() => fs.rmSync(project, { recursive: true, force: true }));

  for (const [out, reason] of [
    ['amplify/backend/backend-config.json', /inside the project's amplify\/ folder/],
    ['amplify/team-provider-info.json', /inside the project's amplify\/ folder/],
    ['amplify/.config/project-config.json', /inside the project's amplify\/ folder/],
    [
      'amplify/backend/function/lpfn/lpfn-cloudformation-template.json',
      /inside the project's amplify\/ folder/,
    ],
    ['Amplify/Backend/backend-config.json', /inside the project's amplify\/ folder/],
    ['amplify/least-privilege/state-dev.json', /pre-push guard's own files/],
    ['amplify/least-privilege/config.json', /pre-push guard's own files/],
    ['amplify/least-privilege/notes.txt', /other than a \.json policy/],
    ['amplify', /is a folder/],
    ['amplify/backend', /is a folder/],
    ['policies/', /is a folder/],
    ['.', /is a folder/],
  ] as const) {
    it(`refuses --out ${out} (exit 2) and changes nothing`, () => {
      const before = files(project);
      const result = runBin(['generate', '--out', out, '--project-dir', project], project);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, reason);
      assert.doesNotMatch(result.stderr, /^\s+at /m);
      assert.deepEqual(files(project), before);
    });
  }

  it('refuses an --out that is a symbolic link, and leaves its target alone', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-elsewhere-'));
    fs.writeFileSync(path.join(elsewhere, 'theirs.json'), 'theirs');
    fs.mkdirSync(path.join(project, 'linked'), { recursive: true });
    fs.symlinkSync(path.join(elsewhere, 'theirs.json'), path.join(project, 'linked', 'p.json'));
    const result = runBin(['generate', '--out', 'linked/p.json', '--project-dir', project], project);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /linked\/p\.json is a symbolic link/);
    assert.equal(fs.readFileSync(path.join(elsewhere, 'theirs.json'), 'utf8'), 'theirs');
    fs.rmSync(path.join(project, 'linked'), { recursive: true });
    fs.rmSync(elsewhere, { recursive: true });
  });

  it('writes --out in the project (recorded in the state) and outside it (not recorded, said so)', () => {
    const inside = runBin(['generate', '--out', 'policies/lp.json', '--project-dir', project], project);
    assert.equal(inside.status, 0, inside.stderr);
    const state = JSON.parse(fs.readFileSync(path.join(project, OUTPUTS, 'state-dev.json'), 'utf8'));
    assert.equal(state.policies[0].file, 'policies/lp.json');
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-out-'));
    const outside = runBin(
      ['generate', '--out', path.join(outsideDir, 'lp.json'), '--project-dir', project],
      project,
    );
    assert.equal(outside.status, 0, outside.stderr);
    assert.match(outside.stderr, /is outside the project, so the pre-push guard and `check` do not use it/);
    assert.ok(fs.existsSync(path.join(outsideDir, 'lp.json')));
    const after = JSON.parse(fs.readFileSync(path.join(project, OUTPUTS, 'state-dev.json'), 'utf8'));
    assert.deepEqual(after, state, 'the state still names the files in the project');
    fs.rmSync(outsideDir, { recursive: true });
  });
});

describe('command: nothing outside the project from env names, resource names and state paths', function () {
  this.timeout(120_000);
  let root: string;
  let project: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-escape-'));
    project = path.join(root, 'a', 'b', 'project');
    fs.mkdirSync(path.dirname(project), { recursive: true });
    fs.cpSync(copyToTemp(EXAMPLE), project, { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses --env ../../.. (exit 2) and an env name with a path in local-env-info.json (exit 1)', () => {
    const before = files(root);
    const option = runBin(['generate', '--env', '../../..', '--project-dir', project]);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /--env "\.\.\/\.\.\/\.\." is not an Amplify env name/);
    const local = path.join(project, 'amplify', '.config', 'local-env-info.json');
    fs.writeFileSync(local, JSON.stringify({ envName: '../../../../x', projectPath: project }));
    const fromFile = runBin(['generate', '--project-dir', project]);
    assert.equal(fromFile.status, 1);
    // Project-context validation names the value and where it comes from.
    assert.match(fromFile.stderr, /envName "\.\.\/\.\.\/\.\.\/\.\.\/x"/);
    assert.match(fromFile.stderr, /local-env-info\.json/);
    delete before['a/b/project/amplify/.config/local-env-info.json'];
    const after = files(root);
    delete after['a/b/project/amplify/.config/local-env-info.json'];
    assert.deepEqual(after, before);
  });

  it('skips backend-config entries whose names would leave amplify/backend, with a warning naming them', () => {
    const outside = path.join(root, 'a', 'evil');
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(
      path.join(outside, 'evil-cloudformation-template.json'),
      JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'PWNED' } } } }),
    );
    const config = path.join(project, 'amplify', 'backend', 'backend-config.json');
    const backend = JSON.parse(fs.readFileSync(config, 'utf8'));
    backend.function['../../../../evil'] = { service: 'Lambda', providerPlugin: 'awscloudformation' };
    backend['../../../evil'] = { x: { service: 'customCloudformation' } };
    fs.writeFileSync(config, JSON.stringify(backend));
    const result = runBin(['generate', '--json', '--project-dir', project]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(!result.stdout.includes('PWNED'));
    const { warnings } = JSON.parse(result.stdout) as { warnings: string[] };
    assert.ok(
      warnings.some((w) =>
        w.includes('amplify/backend/backend-config.json: resource function/"../../../../evil" skipped'),
      ),
      warnings.join('\n'),
    );
    assert.ok(warnings.some((w) => w.includes('category "../../../evil" skipped')));
  });

  it('refuses state entries that point outside the project (an invalid state; check reads no file there)', () => {
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const outside = path.join(root, 'a', 'policy.json');
    fs.writeFileSync(
      outside,
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    );
    const stateFile = path.join(project, OUTPUTS, 'state-dev.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    for (const file of ['../../policy.json', outside, 'amplify/../../../policy.json']) {
      fs.writeFileSync(stateFile, JSON.stringify({ ...state, policies: [{ name: 'x', file }] }));
      const result = runBin(['check', '--json', '--project-dir', project]);
      assert.equal(result.status, 1, result.stderr);
      const verdict = JSON.parse(result.stdout);
      assert.equal(verdict.status, 'invalid-policy', `${file} is not read as the env's policy`);
      assert.match(verdict.error, /inside the project/);
    }
  });

  it('refuses a symbolic link as the output folder and writes nothing through it', () => {
    const elsewhere = path.join(root, 'a', 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(project, OUTPUTS));
    const result = runBin(['generate', '--project-dir', project]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /amplify\/least-privilege is a symbolic link/);
    assert.deepEqual(fs.readdirSync(elsewhere), []);
  });
});

describe('command: every skipped input is a warning that names it', function () {
  this.timeout(120_000);

  it('names non-object categories, non-string services, and templates too large, binary, unparsable or linked out', () => {
    const project = writeCraftedProject({
      resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } } },
      backend: {
        function: { fnNumber: { service: 5 }, fnNull: null as unknown as Record<string, unknown> },
      },
    });
    const config = path.join(project, 'amplify', 'backend', 'backend-config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(config, 'utf8')), storage: 5, hosting: [] }),
    );
    const crafted = path.join(project, 'amplify', 'backend', 'custom', 'crafted');
    fs.writeFileSync(path.join(crafted, 'huge-template.json'), '{"Resources": {}}');
    fs.truncateSync(path.join(crafted, 'huge-template.json'), 21 * 1024 * 1024);
    fs.writeFileSync(path.join(crafted, 'blob.json'), Buffer.from([0x7b, 0x00, 0xff, 0x00]));
    fs.writeFileSync(path.join(crafted, 'notes.yml'), 'a: [unclosed');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-outside-'));
    fs.writeFileSync(path.join(outside, 't.json'), '{"Resources": {"X": {"Type": "AWS::SNS::Topic"}}}');
    fs.symlinkSync(path.join(outside, 't.json'), path.join(crafted, 'linked-template.json'));
    const result = runBin(['generate', '--json', '--project-dir', project]);
    assert.equal(result.status, 0, result.stderr);
    const { warnings, resources } = JSON.parse(result.stdout) as {
      warnings: string[];
      resources: Array<{ resourceTypes: string[] }>;
    };
    const expected = [
      'amplify/backend/backend-config.json: category storage skipped: its value is a number',
      'amplify/backend/backend-config.json: category hosting skipped: its value is a list',
      'amplify/backend/backend-config.json: function/fnNumber has a service that is a number',
      'amplify/backend/backend-config.json: function/fnNull is null, not an object',
      "amplify/backend/custom/crafted/huge-template.json skipped: 21 MB is far above CloudFormation's 1 MB template limit",
      'amplify/backend/custom/crafted/blob.json skipped: it holds binary data',
      'amplify/backend/custom/crafted/notes.yml skipped: not valid JSON or YAML',
      'amplify/backend/custom/crafted/linked-template.json skipped: it is a symbolic link to a place outside the project',
    ];
    for (const text of expected)
      assert.ok(
        warnings.some((w) => w.includes(text)),
        `${text}\n${warnings.join('\n')}`,
      );
    assert.ok(
      !resources.some((r) => r.resourceTypes.includes('AWS::SNS::Topic')),
      'the linked template is not read',
    );
    fs.rmSync(outside, { recursive: true });
    fs.rmSync(project, { recursive: true });
  });

  it('reads UTF-16 files with a byte-order mark (as Windows tools write them)', () => {
    const project = copyToTemp(EXAMPLE);
    const expected = runBin(['generate', '--json', '--project-dir', project]);
    for (const relative of ['amplify/backend/backend-config.json', 'amplify/team-provider-info.json']) {
      const file = path.join(project, relative);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    }
    const result = runBin(['generate', '--json', '--project-dir', project]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).policies, JSON.parse(expected.stdout).policies);
    fs.rmSync(project, { recursive: true });
  });
});

describe('errors: no stack traces, faults asking for a report', () => {
  it('turns anything thrown into a LeastPrivilegeError: file failures, AWS failures, our own bugs', () => {
    const file = asLeastPrivilegeError(
      Object.assign(new Error('EACCES: permission denied, open x'), { code: 'EACCES', path: '/p/x' }),
    );
    assert.equal(file.kind, 'project');
    assert.match(file.resolution, /\/p\/x/);
    const aws = asLeastPrivilegeError(
      Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }),
    );
    assert.equal(aws.kind, 'aws');
    const fault = asLeastPrivilegeError(new TypeError("Cannot read properties of null (reading 'x')"));
    assert.equal(fault.kind, 'fault');
    assert.equal(fault.exitCode, 1);
    assert.match(fault.message, /failed unexpectedly: Cannot read properties of null/);
    assert.match(fault.resolution, /please report it/);
    assert.equal(asLeastPrivilegeError('a string').kind, 'fault');
    const ours = usageError('x', 'y');
    assert.equal(asLeastPrivilegeError(ours), ours);
  });

  it("raises the host CLI's AmplifyFault for our bugs and AmplifyError for the user's errors", function () {
    if (!realCliInstalled()) {
      console.log('    (skipped: the real Amplify CLI is not installed; run `npm run setup:e2e`)');
      this.skip();
    }
    const core = path.join(REPO_ROOT, 'test', 'e2e', 'cli', 'node_modules', '@aws-amplify', 'cli-internal');
    const context: AmplifyContext = { pluginPlatform: { plugins: { core: [{ packageLocation: core }] } } };
    const fault = toHostError(context, new TypeError('boom')) as Error & {
      classification?: string;
      name: string;
      resolution?: string;
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the host's own copy
    const host = require(require.resolve('@aws-amplify/amplify-cli-core', { paths: [core] })) as {
      AmplifyException: new (...args: never[]) => Error;
    };
    // The host's exceptions reset their prototype to AmplifyException: the classification tells them apart.
    assert.ok(fault instanceof host.AmplifyException);
    assert.equal(fault.classification, 'FAULT');
    assert.equal(fault.name, 'UnknownFault');
    assert.match(fault.resolution ?? '', /please report it/);
    const error = toHostError(context, usageError('bad flag', 'write it right')) as Error & {
      classification?: string;
      name: string;
    };
    assert.ok(error instanceof host.AmplifyException);
    assert.equal(error.classification, 'ERROR');
    assert.equal(error.name, 'InputValidationError');
    assert.ok(toHostError({}, new TypeError('x')) instanceof LeastPrivilegeError, 'without the host: ours');
  });

  it('the bin prints one paragraph and exit 1 for a corrupt state and hand-edited policy files', () => {
    const project = copyToTemp(EXAMPLE);
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const policy = path.join(project, OUTPUTS, 'amplify-lpdemo-dev-least-privilege.json');
    for (const value of [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: null, Resource: '*' }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: [5] }] },
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: null }],
      },
    ]) {
      fs.writeFileSync(policy, JSON.stringify(value));
      const result = runBin(['check', '--project-dir', project]);
      assert.equal(result.status, 1);
      assert.match(
        result.stderr,
        /^error: amplify\/least-privilege\/amplify-lpdemo-dev-least-privilege\.json is not an IAM policy document: statement 1: /m,
      );
      assert.doesNotMatch(result.stderr, /^\s+at /m);
    }
    fs.rmSync(project, { recursive: true });
  });
});

describe('the pre-push guard never blocks a push because of its own failure (mode block)', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(() => {
    project = copyToTemp(EXAMPLE);
    writeGuardConfig(project, { mode: 'block', verify: false });
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    // The project changed since: the full check runs.
    const fn = path.join(project, 'amplify', 'backend', 'backend-config.json');
    fs.writeFileSync(fn, fs.readFileSync(fn, 'utf8').replace('{', '{ "x": {}, '));
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  const damages: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'an env name with a path in local-env-info.json',
      (dir) =>
        fs.writeFileSync(
          path.join(dir, 'amplify/.config/local-env-info.json'),
          JSON.stringify({ envName: '../../x' }),
        ),
      /not an Amplify env name/,
    ],
  ];
  for (const [what, damage, said] of damages) {
    it(`goes on with ${what}`, async () => {
      damage(project);
      const outcome = await prePush(project);
      assert.equal(outcome.error, undefined, String(outcome.error));
      assert.match(outcome.said, said);
      assert.doesNotMatch(outcome.said, /^\s+at /m);
    });
  }
});

describe('the pre-push guard in mode block stops on a state or policy file it cannot use', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(() => {
    project = copyToTemp(EXAMPLE);
    writeGuardConfig(project, { mode: 'block', verify: false });
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  // An unusable file is not "no policy" and not a fault of the plugin: it cannot show the push is
  // covered, so block mode stops the push, naming the file and why.
  const damages: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'a state whose entries are not objects',
      (dir) =>
        fs.writeFileSync(
          path.join(dir, OUTPUTS, 'state-dev.json'),
          JSON.stringify({ version: 1, env: 'dev', inputsHash: 'x', hashOptions: [], policies: [null, 5] }),
        ),
      /state-dev\.json is not a valid state file/,
    ],
    [
      'a policy file with a null action',
      (dir) =>
        fs.writeFileSync(
          path.join(dir, OUTPUTS, 'amplify-lpdemo-dev-least-privilege.json'),
          JSON.stringify({ Statement: [{ Effect: 'Allow', Action: null, Resource: '*' }] }),
        ),
      /amplify-lpdemo-dev-least-privilege\.json is not an IAM policy document: statement 1: Action/,
    ],
  ];
  for (const [what, damage, message] of damages) {
    it(`stops with ${what}`, async () => {
      damage(project);
      const outcome = await prePush(project);
      assert.ok(outcome.error, 'the push is stopped');
      assert.match(String((outcome.error as Error).message), message);
      assert.doesNotMatch(outcome.said, /^\s+at /m);
    });
  }
});

describe('check --verify when AWS cannot be asked', function () {
  this.timeout(120_000);
  it('exits 1 with one paragraph, without credentials and with the endpoint down', () => {
    const project = copyToTemp(EXAMPLE);
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-home-'));
    const quiet = {
      HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
    };
    const noCredentials = runBin(['check', '--verify', '--project-dir', project], project, quiet);
    assert.equal(noCredentials.status, 1);
    assert.match(noCredentials.stderr, /^error: A call to AWS failed: .*credentials/im);
    assert.doesNotMatch(noCredentials.stderr, /^\s+at /m);
    const down = runBin(['check', '--verify', '--project-dir', project], project, {
      ...quiet,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    assert.equal(down.status, 1);
    assert.match(down.stderr, /^error: A call to AWS failed: .*ECONNREFUSED/m);
    assert.doesNotMatch(down.stderr, /^\s+at /m);
    fs.rmSync(project, { recursive: true });
    fs.rmSync(home, { recursive: true });
  });
});
