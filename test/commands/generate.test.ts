import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'lpdemo');
const POLICY_DIR = path.join('amplify', 'least-privilege');
const BASE = 'amplify-lpdemo-dev-least-privilege';

/** The files in amplify/least-privilege other than the guard's own (state-<env>.json, config.json) and the review (.md). */
const policyFiles = (project: string): string[] =>
  fs.existsSync(path.join(project, POLICY_DIR))
    ? fs
        .readdirSync(path.join(project, POLICY_DIR))
        .filter((f) => !/^state-.+\.json$|^config\.json$|\.md$/.test(f))
        .sort()
    : [];

describe('command: generate (standalone bin, real-CLI example project)', function () {
  this.timeout(60_000);
  let project: string;
  beforeEach(() => {
    project = copyToTemp(EXAMPLE);
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  it('writes one valid policy document per file into amplify/least-privilege and lists them', () => {
    const result = runBin(['generate', '--project-dir', project]);
    assert.equal(result.status, 0, result.stderr);
    const files = policyFiles(project);
    assert.ok(files.includes(`${BASE}.json`), files.join(', '));
    assert.ok(
      files.every((f) => new RegExp(`^${BASE}(-\\d+)?\\.json$`).test(f)),
      files.join(', '),
    );
    for (const file of files) {
      const document = JSON.parse(fs.readFileSync(path.join(project, POLICY_DIR, file), 'utf8'));
      assert.equal(document.Version, '2012-10-17');
      assert.ok(Array.isArray(document.Statement) && document.Statement.length > 0);
      assert.ok(JSON.stringify(document).length <= 6144);
      assert.ok(result.stdout.includes(file), `stdout names ${file}`);
    }
  });

  it('gives byte-identical files for the same input', () => {
    runBin(['generate', '--project-dir', project]);
    const first = policyFiles(project).map((f) => fs.readFileSync(path.join(project, POLICY_DIR, f), 'utf8'));
    runBin(['generate', '--project-dir', project]);
    const second = policyFiles(project).map((f) =>
      fs.readFileSync(path.join(project, POLICY_DIR, f), 'utf8'),
    );
    assert.deepEqual(second, first);
  });

  it('finds the project root from a folder inside it', () => {
    const result = runBin(['generate'], path.join(project, 'amplify', 'backend', 'function'));
    assert.equal(result.status, 0, result.stderr);
    assert.ok(policyFiles(project).includes(`${BASE}.json`));
  });

  it('--json prints exactly one JSON object on stdout and writes no file', () => {
    const result = runBin(['generate', '--json', '--project-dir', project]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      Object.keys(report).filter((k) => ['policies', 'resources', 'warnings'].includes(k)),
      ['policies', 'resources', 'warnings'],
    );
    assert.ok(report.policies[0].name === BASE && report.policies[0].document.Version === '2012-10-17');
    assert.equal(report.policies[0].characters, JSON.stringify(report.policies[0].document).length);
    const categories = report.resources.map((r: { category: string }) => r.category);
    for (const category of ['auth', 'api', 'storage', 'function', 'geo'])
      assert.ok(categories.includes(category), category);
    assert.ok(report.resources.every((r: { resourceTypes: string[] }) => Array.isArray(r.resourceTypes)));
    assert.deepEqual(policyFiles(project), []);
  });

  it('--out FILE writes FILE, FILE-2..., the review FILE.review.md and leaves the default folder alone', () => {
    const out = path.join(project, 'out', 'policy.json');
    const result = runBin([
      'generate',
      '--out',
      out,
      '--phases',
      'push,init,delete',
      '--project-dir',
      project,
    ]);
    assert.equal(result.status, 0, result.stderr);
    const written = fs.readdirSync(path.dirname(out)).sort();
    const listed = result.stdout.trim().split('\n');
    assert.equal(written.length, listed.length);
    const documents = written.filter((f) => f.endsWith('.json'));
    assert.deepEqual(
      written,
      ['policy.json', 'policy.review.md', ...documents.slice(1).map((_, i) => `policy-${i + 2}.json`)].sort(),
    );
    assert.deepEqual(policyFiles(project), []);
  });

  it('removes its own files left by an earlier run with more documents, and nothing else', () => {
    const dir = path.join(project, POLICY_DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${BASE}-9.json`), '{}');
    fs.writeFileSync(path.join(dir, 'my-notes.json'), '{}');
    fs.writeFileSync(path.join(dir, 'amplify-lpdemo-prod-least-privilege.json'), '{}');
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const files = policyFiles(project);
    assert.ok(!files.includes(`${BASE}-9.json`));
    assert.ok(files.includes('my-notes.json') && files.includes('amplify-lpdemo-prod-least-privilege.json'));
  });

  it('--env names another env in the policy names and ARNs', () => {
    // A second env, as `amplify env add prod` records it next to dev.
    const file = path.join(project, 'amplify', 'team-provider-info.json');
    const team = JSON.parse(fs.readFileSync(file, 'utf8'));
    team.prod = JSON.parse(JSON.stringify(team.dev).replace(/-dev-/g, '-prod-'));
    fs.writeFileSync(file, JSON.stringify(team, null, 2));
    const result = runBin(['generate', '--json', '--env', 'prod', '--project-dir', project]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.policies[0].name, 'amplify-lpdemo-prod-least-privilege');
    assert.ok(JSON.stringify(report.policies).includes('/prod/'), 'SSM parameters of the prod env');
  });
});

describe('command: exit codes and errors', function () {
  this.timeout(30_000);
  it('exits 1 with a clear message outside an Amplify project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-empty-'));
    const result = runBin(['generate', '--project-dir', dir]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /not inside an Amplify project/);
    assert.equal(result.stdout, '');
  });

  it('exits 1 naming the file when backend-config.json is not JSON', () => {
    const project = copyToTemp(EXAMPLE);
    fs.writeFileSync(path.join(project, 'amplify', 'backend', 'backend-config.json'), '{ "auth": ');
    const result = runBin(['generate', '--project-dir', project]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /backend-config\.json is not valid JSON/);
    assert.deepEqual(policyFiles(project), []);
  });

  it('--env naming an env the project does not have is an error (exit 1) naming those it has, in every command that takes --env', () => {
    const project = copyToTemp(EXAMPLE);
    const commands = [
      ['generate'],
      ['generate', '--json'],
      ['explain'],
      ['check'],
      ['attach', '--dry-run'],
      ['learn', '--message', 'x', '--yes'],
    ];
    for (const command of commands) {
      const result = runBin([...command, '--env', 'prod', '--project-dir', project]);
      assert.equal(result.status, 1, `${command.join(' ')}: ${result.stderr}`);
      assert.equal(
        result.stderr,
        'error: Env "prod" does not exist in this project; its envs (amplify/team-provider-info.json): dev.\n' +
          'Pass --env dev (or leave --env out for the checked-out env), or create the env first with `amplify env add`.\n',
        command.join(' '),
      );
      assert.equal(result.stdout, '', command.join(' '));
    }
    assert.deepEqual(policyFiles(project), [], 'nothing written');
    // The env it has is accepted.
    assert.equal(runBin(['generate', '--env', 'dev', '--project-dir', project]).status, 0);
    // A policy to create (init) or remove (delete) an env may name one the file does not list yet:
    // its stack and bucket names are patterns then, each a reported widening.
    for (const phases of ['init', 'delete']) {
      const result = runBin([
        'generate',
        '--json',
        '--env',
        'prod',
        '--phases',
        phases,
        '--project-dir',
        project,
      ]);
      assert.equal(result.status, 0, result.stderr);
      const widened = (JSON.parse(result.stdout) as { widened: Array<{ pattern: string }> }).widened;
      assert.ok(
        widened.some((w) => w.pattern.includes('amplify-lpdemo-prod-')),
        `${phases}: the new env's stack names are reported widenings`,
      );
    }
  });

  it('exits 2 for usage errors: unknown option, unknown phase, missing value', () => {
    assert.equal(runBin(['generate', '--bogus']).status, 2);
    const phase = runBin(['generate', '--phases', 'push,deploy', '--project-dir', EXAMPLE]);
    assert.equal(phase.status, 2);
    assert.match(phase.stderr, /Unknown phase deploy/);
    assert.equal(runBin(['generate', '--out']).status, 2);
  });

  it('prints help for help and --help (exit 0) and for an unknown command (exit 2)', () => {
    for (const args of [['help'], ['--help'], []]) {
      const result = runBin(args);
      assert.equal(result.status, 0, args.join(' '));
      assert.match(result.stdout, /^ {2}generate {3}write the least-privilege IAM policy documents/m);
    }
    const generateHelp = runBin(['generate', '--help']);
    assert.equal(generateHelp.status, 0);
    assert.match(generateHelp.stdout, /^Usage: amplify-least-privilege generate \[--out FILE\]/);
    const unknown = runBin(['deploy']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command "deploy"/);
    assert.match(unknown.stdout, /Commands:/);
  });
});

describe('command: generate stays off the AWS SDK', () => {
  it('runs generate in-process without loading @aws-sdk', () => {
    const script = [
      "const { runCommand } = require('./lib/commands/index.js');",
      `runCommand({ command: 'generate', args: [], options: { json: true, 'project-dir': ${JSON.stringify(EXAMPLE)} } }, { io: { out: () => {}, err: () => {} }, cwd: process.cwd() }, 'x')`,
      "  .then(() => { const sdk = Object.keys(require.cache).filter((k) => k.includes('@aws-sdk')); process.stdout.write(String(sdk.length)); });",
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.stdout, '0', result.stderr);
  });
});
