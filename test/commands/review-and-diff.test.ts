import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const POLICY_DIR = path.join('amplify', 'least-privilege');
const BASE = 'amplify-lpdemo-dev-least-privilege';

/** The section of the markdown from `heading` to the next `### ` heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" in:\n${markdown}`);
  const end = markdown.indexOf('\n### ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The table rows of a section whose Resource cell is `resource`. */
const rowsOf = (text: string, resource: string): string[] =>
  text.split('\n').filter((line) => line.startsWith(`| \`${resource}\` |`));

describe('command: the review and the pull-request view (real-CLI example projects)', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(() => {
    project = copyToTemp(path.join(EXAMPLES, 'lpdemo'));
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  it('generate writes <policy name>.md beside the policy files, byte-identical on a rerun, named in --json', () => {
    const first = runBin(['generate', '--project-dir', project]);
    assert.equal(first.status, 0, first.stderr);
    const review = path.join(project, POLICY_DIR, `${BASE}.md`);
    const text = fs.readFileSync(review, 'utf8');
    assert.ok(first.stdout.includes(`${BASE}.md`), first.stdout);
    assert.ok(text.startsWith(`# IAM policy review: ${BASE}\n`), text.slice(0, 80));
    for (const file of fs
      .readdirSync(path.join(project, POLICY_DIR))
      .filter((f) => /^amplify-.*\.json$/.test(f)))
      assert.ok(text.includes(`\`${file}\``), `the review lists ${file}`);
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    assert.equal(fs.readFileSync(review, 'utf8'), text);
    const json = runBin([
      'generate',
      '--project-dir',
      project,
      '--out',
      path.join(project, 'policy.json'),
      '--json',
    ]);
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { review?: string };
    assert.equal(report.review, path.join(project, 'policy.review.md'));
    assert.equal(
      fs.readFileSync(report.review, 'utf8'),
      text.replace(
        /`amplify-lpdemo-dev-least-privilege(-\d+)?\.json`/g,
        (_m, n) => `\`policy${n ?? ''}.json\``,
      ),
    );
  });

  it('check --format markdown names the actions a new function adds and a removed bucket drops, with the resources causing them', () => {
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const unchanged = runBin(['check', '--project-dir', project, '--format', 'markdown']);
    assert.equal(unchanged.status, 0, unchanged.stdout + unchanged.stderr);
    assert.match(unchanged.stdout, /: no change\n/);

    // A function from another example comes in; the storage bucket goes.
    fs.cpSync(
      path.join(EXAMPLES, 'lpfull', 'amplify', 'backend', 'function', 'lpauthorizer'),
      path.join(project, 'amplify', 'backend', 'function', 'lpauthorizer'),
      { recursive: true },
    );
    fs.rmSync(path.join(project, 'amplify', 'backend', 'storage'), { recursive: true });
    const configFile = path.join(project, 'amplify', 'backend', 'backend-config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    config.function.lpauthorizer = { build: true, providerPlugin: 'awscloudformation', service: 'Lambda' };
    delete config.storage;
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

    const changed = runBin(['check', '--project-dir', project, '--format', 'markdown']);
    assert.equal(changed.status, 1, 'a push would be denied: exit 1');
    const markdown = changed.stdout;
    assert.match(
      markdown,
      /Resources added: `function\/lpauthorizer`\. Resources removed: `storage\/lpstorage`\./,
    );

    const added = section(markdown, '### Added');
    const fn = rowsOf(added, 'arn:aws:lambda:us-east-1:123456789012:function:lpauthorizer-dev');
    assert.ok(
      fn.some(
        (row) =>
          row.includes('`lambda:CreateFunction`') &&
          row.includes('function/lpauthorizer (AWS::Lambda::Function)'),
      ),
      added,
    );
    const role = rowsOf(added, 'arn:aws:iam::123456789012:role/lpfullLambdaRole98fb6a4a-dev');
    assert.ok(
      role.some(
        (row) => row.includes('`iam:CreateRole`') && row.includes('function/lpauthorizer (AWS::IAM::Role)'),
      ),
      added,
    );
    assert.ok(
      role.some((row) => row.includes('`iam:PassRole`')),
      added,
    );

    const removed = section(markdown, '### Removed');
    const bucket = rowsOf(removed, 'arn:aws:s3:::lpbucket1234512345-dev');
    assert.ok(
      bucket.some(
        (row) =>
          row.includes('`s3:CreateBucket`') &&
          row.includes('CloudFormation for storage/lpstorage: AWS::S3::Bucket handler'),
      ),
      removed,
    );
    // Nothing the project still needs is reported removed: the function lpfn keeps its grants.
    assert.ok(!removed.includes('function:lpfn-dev'), removed);

    // generate --diff prints the same view and writes nothing; generating then leaves no change.
    const before = fs.readFileSync(path.join(project, POLICY_DIR, `${BASE}.json`), 'utf8');
    const diff = runBin(['generate', '--project-dir', project, '--diff']);
    assert.equal(diff.status, 0, diff.stderr);
    assert.equal(diff.stdout, markdown);
    assert.equal(fs.readFileSync(path.join(project, POLICY_DIR, `${BASE}.json`), 'utf8'), before);
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const after = runBin(['check', '--project-dir', project, '--format', 'markdown']);
    assert.equal(after.status, 0, after.stdout);
    assert.match(after.stdout, /: no change\n/);
  });

  it('check --format markdown without a generated policy says so (exit 1); bad formats are usage errors', () => {
    const none = runBin(['check', '--project-dir', project, '--format', 'markdown']);
    assert.equal(none.status, 1);
    assert.match(none.stdout, /none committed/);
    assert.equal(runBin(['check', '--project-dir', project, '--format', 'html']).status, 2);
    assert.equal(runBin(['generate', '--project-dir', project, '--diff', '--json']).status, 2);
  });
});
