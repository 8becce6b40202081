import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { projectCopy, quietCliEnv, runAmplify, skipWithoutRealCli } from '../support/real-cli';
import { attachedNames, createUser } from '../support/iam-fixture';
import { startMoto, type Moto } from '../support/moto';
import { runBin } from '../support/run-bin';

/**
 * The plugin inside the real Amplify CLI 14.2.2, offline: registered with `amplify plugin
 * add`, run in a project the real CLI made (examples/lpdemo: auth, api, storage, function,
 * geo). CI installs the CLI (npm run setup:e2e) and sets LP_REQUIRE_REAL_CLI=1, so a missing
 * CLI fails there instead of skipping.
 */
describe('e2e: the plugin in the real Amplify CLI', function () {
  this.timeout(240_000);
  const env = quietCliEnv();
  let project: string;

  before(function () {
    skipWithoutRealCli(this);
    project = projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'));
    const added = runAmplify(['plugin', 'add', REPO_ROOT], project, env);
    assert.equal(added.status, 0, added.output);
    assert.match(added.output, /Successfully added plugin package/);
  });

  it('`amplify least-privilege generate` writes the same documents as the standalone bin', () => {
    const run = runAmplify(['least-privilege', 'generate'], project, env);
    assert.equal(run.status, 0, run.output);
    const dir = path.join(project, 'amplify', 'least-privilege');
    const files = fs.readdirSync(dir).sort();
    assert.ok(files.includes('amplify-lpdemo-dev-least-privilege.json'), files.join(', '));
    const fromCli = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    fs.rmSync(dir, { recursive: true });
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    assert.deepEqual(
      fs
        .readdirSync(dir)
        .sort()
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8')),
      fromCli,
    );
  });

  it('`amplify least-privilege generate --json` prints one JSON object on stdout', () => {
    const run = runAmplify(['least-privilege', 'generate', '--json'], project, env);
    assert.equal(run.status, 0, run.output);
    const report = JSON.parse(run.stdout);
    assert.equal(report.policies[0].name, 'amplify-lpdemo-dev-least-privilege');
    assert.ok(report.resources.some((r: { category: string }) => r.category === 'geo'));
  });

  it('`amplify least-privilege help` prints the short help; `generate --help` and `help generate` its own', () => {
    const help = runAmplify(['least-privilege', 'help'], project, env);
    assert.equal(help.status, 0, help.output);
    assert.match(help.stdout, /^ {2}amplify least-privilege help COMMAND/m);
    assert.doesNotMatch(help.stdout, /--out/);
    for (const args of [
      ['least-privilege', 'generate', '--help'],
      ['least-privilege', 'help', 'generate'],
    ]) {
      const run = runAmplify(args, project, env);
      assert.equal(run.status, 0, run.output);
      assert.match(run.stdout, /Usage: amplify least-privilege generate \[--out FILE\]/);
      assert.match(run.stdout, /^ {2}--permissions-boundary ARN/m);
    }
  });

  it('`amplify least-privilege --version` (and -v) prints the version of package.json', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const run = runAmplify(['least-privilege', flag], project, env);
      assert.equal(run.status, 0, run.output);
      assert.equal(run.stdout.trim().split('\n').pop(), version);
    }
  });

  it('`amplify least-privilege explain iam:PassRole` says why', () => {
    const run = runAmplify(['least-privilege', 'explain', 'iam:PassRole'], project, env);
    assert.equal(run.status, 0, run.output);
    assert.match(run.stdout, /for function\/lpfn: AWS::Lambda::Function create\/update handler/);
  });

  it('shows usage errors with their resolution through the host CLI (AmplifyError)', () => {
    const run = runAmplify(['least-privilege', 'generate', '--phases', 'deploy'], project, env);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /Unknown phase deploy/);
    assert.match(run.output, /Resolution: Use a comma list of push, pull, publish, codegen, init, delete/);
    const split = runAmplify(['least-privilege', 'generate', '--out=policy.json'], project, env);
    assert.match(split.output, /Write --out VALUE, not --out=policy.json/);
  });

  it('says what to do when run outside an Amplify project', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-empty-'));
    const run = runAmplify(['least-privilege', 'generate'], empty, env);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /is not inside an Amplify project/);
    assert.match(run.output, /Resolution: Run the command in an Amplify Gen 1 project/);
  });
});

describe('e2e: attach through the real Amplify CLI, with a profile pointing at moto', function () {
  this.timeout(240_000);
  let moto: Moto;
  before(async function () {
    skipWithoutRealCli(this);
    moto = await startMoto();
  });
  after(() => moto?.stop());

  it("`amplify least-privilege generate --attach --yes` attaches the policies to the profile's user", async () => {
    const user = await createUser(moto.endpoint);
    const env: NodeJS.ProcessEnv = { ...quietCliEnv(), AWS_ENDPOINT_URL: moto.endpoint };
    const aws = path.join(env.HOME ?? '', '.aws');
    fs.mkdirSync(aws, { recursive: true });
    fs.writeFileSync(
      path.join(aws, 'credentials'),
      `[default]\naws_access_key_id = ${user.keys.accessKeyId}\naws_secret_access_key = ${user.keys.secretAccessKey}\n`,
    );
    fs.writeFileSync(path.join(aws, 'config'), '[default]\nregion = us-east-1\n');
    const project = projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'));
    assert.equal(runAmplify(['plugin', 'add', REPO_ROOT], project, env).status, 0);
    const run = runAmplify(['least-privilege', 'generate', '--attach', '--yes'], project, env);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, new RegExp(`Changes for IAM user ${user.name}`));
    assert.ok(!run.output.includes(user.keys.secretAccessKey), 'credentials are never printed');
    assert.deepEqual(await attachedNames(user.iam, user.name), [
      'amplify-lpdemo-dev-least-privilege',
      'amplify-lpdemo-dev-least-privilege-2',
    ]);
  });
});

describe('e2e: the pre-push guard in the real Amplify CLI', function () {
  this.timeout(300_000);
  let project: string;
  let env: NodeJS.ProcessEnv;
  let requests: string[];
  let server: http.Server;

  before(async function () {
    skipWithoutRealCli(this);
    // Every AWS call of the CLI goes here (AWS_ENDPOINT_URL) and is recorded, then refused.
    requests = [];
    server = http.createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(503);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env = {
      ...quietCliEnv(),
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      AWS_MAX_ATTEMPTS: '1',
    };
    const aws = path.join(env.HOME ?? '', '.aws');
    fs.mkdirSync(aws, { recursive: true });
    fs.writeFileSync(
      path.join(aws, 'credentials'),
      '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = example\n',
    );
    fs.writeFileSync(path.join(aws, 'config'), '[default]\nregion = us-east-1\n');
    project = projectCopy(path.join(REPO_ROOT, 'examples', 'lpdemo'));
    assert.equal(runAmplify(['plugin', 'add', REPO_ROOT], project, env).status, 0);
    assert.equal(runAmplify(['least-privilege', 'generate'], project, env).status, 0);
    // A policy that lacks one action the push needs.
    const file = path.join(project, 'amplify/least-privilege/amplify-lpdemo-dev-least-privilege.json');
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const s of document.Statement)
      if (Array.isArray(s.Action)) s.Action = s.Action.filter((a: string) => a !== 'lambda:CreateFunction');
    fs.writeFileSync(file, JSON.stringify(document, null, 2));
    const template = path.join(project, 'amplify/backend/function/lpfn/lpfn-cloudformation-template.json');
    fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace('"Timeout": 25', '"Timeout": 26'));
  });
  after(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('`amplify least-privilege check` exits 1 with what is missing', () => {
    const run = runAmplify(['least-privilege', 'check'], project, env);
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /lambda:CreateFunction on arn:aws:lambda:us-east-1:123456789012:function:/);
  });

  it('block: `amplify push --yes` exits 1 with the guard message, before any AWS call', () => {
    assert.equal(runAmplify(['least-privilege', 'configure', '--mode', 'block'], project, env).status, 0);
    requests.length = 0;
    const run = runAmplify(['push', '--yes'], project, env);
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /Push stopped by the least-privilege guard \(mode block\)/);
    assert.match(run.output, /lambda:CreateFunction/);
    assert.match(run.output, /Resolution: amplify least-privilege generate --attach/);
    // One fix, said once: the CLI's Resolution line, no second "Fix:" in the message.
    assert.equal(run.output.match(/Resolution:/g)?.length, 1, run.output);
    assert.equal(run.output.match(/generate --attach/g)?.length, 1, run.output);
    assert.doesNotMatch(run.output, /Fix:/);
    assert.deepEqual(requests, [], 'no AWS call was made');
  });

  it('warn: the push warns and goes on (then fails offline at the S3 lookup, as expected)', () => {
    assert.equal(runAmplify(['least-privilege', 'configure', '--mode', 'warn'], project, env).status, 0);
    // Without the recording endpoint the CLI goes to AWS itself and fails fast offline.
    const offline = { ...env };
    delete offline.AWS_ENDPOINT_URL;
    const run = runAmplify(['push', '--yes'], project, offline);
    // stdout and stderr are read apart, so the order between the two is not asserted.
    assert.match(run.stderr, /least-privilege: warning \(mode warn, the push goes on\)/);
    assert.match(run.output, /ENOTFOUND amplify-lpdemo-dev-12345-deployment\.s3/);
    assert.notEqual(run.status, 0);
  });

  it('`amplify least-privilege check` exits 0 once the policy is regenerated', () => {
    assert.equal(runAmplify(['least-privilege', 'generate'], project, env).status, 0);
    const run = runAmplify(['least-privilege', 'check'], project, env);
    assert.equal(run.status, 0, run.output);
  });
});
