import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { Module } from 'node:module';
import { copyToTemp, REPO_ROOT } from '../support/paths';

/**
 * What a standalone run loads (its speed is measured by `npm run bench`, never asserted): only
 * what the command needs, from the bundle `npm run build` makes (scripts/bundle-cli.js).
 */
const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const LIB_SRC = path.join(REPO_ROOT, 'lib', 'src');

/** The files a bin run loaded (require.cache at exit), relative to the repository. */
function loadedBy(args: readonly string[]): string[] {
  const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alp-loaded-')), 'loaded.json');
  const preload = path.join(path.dirname(list), 'preload.js');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));`,
  );
  const run = spawnSync(process.execPath, ['-r', preload, path.join(LIB_SRC, 'cli.js'), ...args], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(fs.readFileSync(list, 'utf8')) as string[]).map((file) =>
    path.relative(REPO_ROOT, file).split(path.sep).join('/'),
  );
}

describe('cold start: what a run loads', function () {
  this.timeout(60_000);

  it('the bin is one bundle of our modules; generate on an all-JSON project loads no yaml, AWS SDK or iam-data code', () => {
    const loaded = loadedBy(['generate', '--project-dir', copyToTemp(LPDEMO)]);
    assert.deepEqual(
      loaded.filter((file) => file.startsWith('lib/')),
      ['lib/src/cli.js', 'lib/src/cli.bundle.js'],
    );
    const packages = loaded.filter((file) => file.includes('node_modules/'));
    assert.deepEqual(packages, [], 'iam-data is read as data files, yaml only for YAML templates');
  });

  it("the code cache shipped beside the bundle is accepted by this Node (same V8 as the build's)", () => {
    const bundle = path.join(LIB_SRC, 'cli.bundle.js');
    const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), {
      filename: bundle,
      cachedData: fs.readFileSync(path.join(LIB_SRC, 'cli.bundle.cache')),
    });
    assert.equal(script.cachedDataRejected, false);
  });

  it('a YAML template loads yaml and is read as before', () => {
    const project = copyToTemp(LPDEMO);
    const dir = path.join(project, 'amplify', 'backend', 'custom', 'yamlstack');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'template.yml'),
      'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub "lp-yaml-${env}"\n',
    );
    const config = path.join(project, 'amplify', 'backend', 'backend-config.json');
    const backend = JSON.parse(fs.readFileSync(config, 'utf8'));
    backend.custom = { yamlstack: { service: 'customCloudformation', providerPlugin: 'awscloudformation' } };
    fs.writeFileSync(config, JSON.stringify(backend));
    const loaded = loadedBy(['generate', '--project-dir', project]);
    assert.ok(
      loaded.some((file) => file.startsWith('node_modules/yaml/')),
      'yaml loaded',
    );
    const policies = fs
      .readdirSync(path.join(project, 'amplify', 'least-privilege'))
      .filter((file) => file.endsWith('.json') && !file.startsWith('state-'))
      .map((file) => fs.readFileSync(path.join(project, 'amplify', 'least-privilege', file), 'utf8'))
      .join('\n');
    assert.match(policies, /arn:aws:sqs:us-east-1:123456789012:lp-yaml-dev/);
  });

  it('the bin writes its output without making process.stdout/stderr (no net or tty module is loaded)', () => {
    const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alp-builtins-')), 'builtins.json');
    const preload = path.join(path.dirname(list), 'preload.js');
    fs.writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));`,
    );
    const project = copyToTemp(LPDEMO);
    // The files go to stdout, warnings and the summary to stderr: both pipes here.
    const run = spawnSync(process.execPath, ['-r', preload, path.join(LIB_SRC, 'cli.js'), 'generate'], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /amplify-lpdemo-dev-least-privilege\.json {2}/);
    assert.match(run.stderr, /^warning: /m);
    assert.match(run.stderr, /^Phases: push, pull, publish, codegen; 6 resources\./m);
    const builtins = JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
    for (const module of ['NativeModule net', 'NativeModule tty'])
      assert.ok(!builtins.includes(module), `${module} is not loaded`);
  });

  it('output larger than a pipe holds arrives whole; a reader that stops early ends the run quietly', () => {
    const project = copyToTemp(LPDEMO);
    const whole = spawnSync(process.execPath, [path.join(LIB_SRC, 'cli.js'), 'explain'], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(whole.status, 0, whole.stderr);
    assert.ok(whole.stdout.length > 65_536, `explain prints ${whole.stdout.length} characters`);
    assert.ok(whole.stdout.endsWith('\n'));
    const bin = JSON.stringify(path.join(LIB_SRC, 'cli.js'));
    const early = spawnSync('bash', ['-o', 'pipefail', '-c', `node ${bin} explain | head -c 10`], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(early.status, 0, early.stderr);
    assert.equal(early.stdout, whole.stdout.slice(0, 10));
    assert.equal(early.stderr, '');
  });

  it('in-process, generate loads none of the other commands (learn, configure hooks, explain)', () => {
    const script = [
      "const { runCommand } = require('./lib/commands/index.js');",
      `runCommand({ command: 'generate', args: [], options: { json: true, 'project-dir': ${JSON.stringify(LPDEMO)} } }, { io: { out: () => {}, err: () => {} }, cwd: process.cwd() }, 'x')`,
      '  .then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const loaded = (JSON.parse(run.stdout) as string[]).map((file) => path.relative(REPO_ROOT, file));
    for (const module of [
      'lib/commands/learn.js',
      'lib/commands/explain.js',
      'lib/commands/configure.js',
      'lib/commands/check.js',
      'lib/commands/attach.js',
      'lib/src/learn/run-learn.js',
      'lib/src/guard/command-hooks.js',
      'lib/src/outputs/explain.js',
      'lib/src/check/coverage.js',
      'lib/src/check/policy-changes.js',
      'lib/src/check/changes-markdown.js',
      'lib/commands/generate-cdk.js',
      'lib/src/cdk-engine.js',
      'lib/src/inventory/cdk-assembly.js',
    ])
      assert.ok(!loaded.includes(module), `${module} is not loaded by generate`);
    assert.ok(loaded.includes('lib/commands/generate.js'));
  });
});
