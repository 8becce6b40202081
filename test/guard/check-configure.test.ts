import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';

const LPDEMO = path.join(REPO_ROOT, 'examples', 'lpdemo');
const POLICY = 'amplify/least-privilege/amplify-lpdemo-dev-least-privilege.json';

function withoutCreateFunction(project: string): void {
  const file = path.join(project, POLICY);
  const document = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const s of document.Statement)
    if (Array.isArray(s.Action)) s.Action = s.Action.filter((a: string) => a !== 'lambda:CreateFunction');
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
}

describe('command: check', function () {
  this.timeout(60_000);
  it('exits 1 when no policy was generated for the env, 0 once it covers, 1 with what is missing', () => {
    const project = copyToTemp(LPDEMO);
    const none = runBin(['check', '--project-dir', project]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /No policy for env dev: run `amplify least-privilege generate`/);
    assert.equal(runBin(['generate', '--project-dir', project]).status, 0);
    const covered = runBin(['check', '--project-dir', project]);
    assert.equal(covered.status, 0, covered.stderr);
    assert.match(covered.stdout, /covers a push of this project/);
    withoutCreateFunction(project);
    const missing = runBin(['check', '--project-dir', project]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /lambda:CreateFunction on arn:aws:lambda:us-east-1:123456789012:function:/);
    assert.equal(missing.stderr.match(/generate --attach/g)?.length, 1, 'one fix, said once');
    // A policy file that cannot be read is an error: its resolution, said once, and no other fix.
    fs.writeFileSync(path.join(project, POLICY), '{ not json');
    const invalid = runBin(['check', '--project-dir', project]);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /amplify-lpdemo-dev-least-privilege\.json is not valid JSON/);
    assert.equal(invalid.stderr.match(/amplify least-privilege generate/g)?.length, 1, invalid.stderr);
  });

  it('--json gives status, staleness and the missing permissions with what needs them', () => {
    const project = copyToTemp(LPDEMO);
    runBin(['generate', '--project-dir', project]);
    withoutCreateFunction(project);
    const result = runBin(['check', '--json', '--project-dir', project]);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout);
    assert.equal(report.status, 'missing');
    assert.equal(report.stale, false);
    assert.ok(
      report.missing.some(
        (m: { action: string; neededBy: string[] }) =>
          m.action === 'lambda:CreateFunction' && m.neededBy.some((n) => n.startsWith('function/lpfn')),
      ),
    );
    assert.deepEqual(report.policyFiles.sort(), [POLICY, POLICY.replace('.json', '-2.json')].sort());
  });
});

describe('command: configure and the command hooks', function () {
  this.timeout(60_000);
  it('writes the mode, and refuses an unknown one', () => {
    const project = copyToTemp(LPDEMO);
    assert.equal(runBin(['configure', '--mode', 'block', '--project-dir', project]).status, 0);
    assert.deepEqual(
      JSON.parse(fs.readFileSync(path.join(project, 'amplify/least-privilege/config.json'), 'utf8')),
      { mode: 'block', verify: false },
    );
    assert.equal(runBin(['configure', '--mode', 'loud', '--project-dir', project]).status, 2);
  });

  it("--hooks writes pre-push.js and pre-publish.js, rewrites its own, never replaces the user's", () => {
    const project = copyToTemp(LPDEMO);
    assert.equal(runBin(['configure', '--hooks', '--project-dir', project]).status, 0);
    for (const hook of ['pre-push.js', 'pre-publish.js'])
      assert.match(
        fs.readFileSync(path.join(project, 'amplify/hooks', hook), 'utf8'),
        /amplify-least-privilege: command hook/,
      );
    assert.equal(
      runBin(['configure', '--hooks', '--project-dir', project]).status,
      0,
      'our own hooks are rewritten',
    );
    fs.writeFileSync(path.join(project, 'amplify/hooks/pre-push.js'), 'console.log("mine")');
    const refused = runBin(['configure', '--hooks', '--project-dir', project]);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /amplify\/hooks\/pre-push.js exists and was not written by amplify-least-privilege/,
    );
    assert.equal(
      fs.readFileSync(path.join(project, 'amplify/hooks/pre-push.js'), 'utf8'),
      'console.log("mine")',
    );
  });

  it("the hook runs the project's check: exit 1 only in block mode with a missing permission, and goes on when the check cannot run", () => {
    const project = copyToTemp(LPDEMO);
    runBin(['generate', '--project-dir', project]);
    runBin(['configure', '--hooks', '--mode', 'block', '--project-dir', project]);
    // The project's own copy of the bin, as `npm install -D amplify-least-privilege` gives it.
    const bin = path.join(project, 'node_modules', '.bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'lib', 'src', 'cli.js'), path.join(bin, 'amplify-least-privilege'));
    fs.chmodSync(path.join(REPO_ROOT, 'lib', 'src', 'cli.js'), 0o755);
    // The CLI runs hooks with node, cwd = project root, and PATH as the only variable.
    const hook = () =>
      spawnSync(process.execPath, ['amplify/hooks/pre-push.js'], {
        cwd: project,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
        input: '{}',
      });
    assert.equal(hook().status, 0, 'covered');
    withoutCreateFunction(project);
    const blocked = hook();
    assert.equal(blocked.status, 1);
    assert.match(blocked.stderr, /lambda:CreateFunction/);
    runBin(['configure', '--mode', 'warn', '--project-dir', project]);
    assert.equal(hook().status, 0, 'warn lets the push go on');
    runBin(['configure', '--mode', 'block', '--project-dir', project]);
    fs.rmSync(bin, { recursive: true });
    const cannotRun = spawnSync(process.execPath, ['amplify/hooks/pre-publish.js'], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: '/nonexistent' },
      input: '{}',
    });
    assert.equal(cannotRun.status, 0);
    assert.match(cannotRun.stderr, /the check could not run/);
  });

  describe('the hooks tell "missing permissions" (exit 1 in block) from "could not check" (exit 0)', () => {
    /** A project with the hooks, in mode `mode`, and a fake npx first on PATH that does `script`. */
    function withFakeNpx(
      mode: string,
      script: string,
    ): { run: () => ReturnType<typeof spawnSync>; project: string } {
      const project = copyToTemp(LPDEMO);
      runBin(['generate', '--project-dir', project]);
      runBin(['configure', '--hooks', '--mode', mode, '--project-dir', project]);
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-npx-'));
      fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
      const run = () =>
        spawnSync(process.execPath, ['amplify/hooks/pre-push.js'], {
          cwd: project,
          encoding: 'utf8',
          env: { PATH: `${bin}:${process.env.PATH}` },
          input: '{}',
        });
      return { run, project };
    }
    const FETCH_FAILS =
      'echo "npm error code E404" >&2; echo "npm error 404 Not Found - GET https://registry.npmjs.org/amplify-least-privilege" >&2; exit 1';
    const REPORTS_MISSING = `echo '${JSON.stringify({ status: 'missing', env: 'dev', stale: false, missing: [{ action: 'lambda:CreateFunction', resource: 'arn:aws:lambda:us-east-1:123456789012:function:lpfn-dev', neededBy: ['function/lpfn: AWS::Lambda::Function create handler'] }], policyFiles: [] })}'; exit 1`;

    it('npx failing to fetch the package is "could not check": block mode lets the command go on', () => {
      const { run } = withFakeNpx('block', FETCH_FAILS);
      const result = run();
      assert.equal(result.status, 0, String(result.stderr));
      assert.match(String(result.stderr), /the check could not run \(exit 1, no verdict\); going on/);
    });

    it('a check that reports missing permissions stops the command in block mode only', () => {
      const blocked = withFakeNpx('block', REPORTS_MISSING);
      const result = blocked.run();
      assert.equal(result.status, 1);
      assert.match(
        String(result.stderr),
        /lambda:CreateFunction on arn:aws:lambda:us-east-1:123456789012:function:lpfn-dev {2}\(needed by function\/lpfn/,
      );
      assert.match(String(result.stderr), /stopped \(mode block\)/);
      assert.equal(String(result.stderr).match(/Fix:/g)?.length, 1, 'one fix, said once');
      const warned = withFakeNpx('warn', REPORTS_MISSING).run();
      assert.equal(warned.status, 0);
      assert.match(String(warned.stderr), /going on \(mode warn\)/);
    });

    it('the real check through the fake npx (the bin, as npx would run it): covered goes on, an invalid policy file stops in block', () => {
      const cli = path.join(REPO_ROOT, 'lib', 'src', 'cli.js');
      const { run, project } = withFakeNpx('block', `shift 2; exec "${process.execPath}" "${cli}" "$@"`);
      const covered = run();
      assert.equal(covered.status, 0, String(covered.stderr));
      fs.writeFileSync(path.join(project, POLICY), '{ not json');
      const result = run();
      assert.equal(result.status, 1);
      assert.match(String(result.stderr), /amplify-lpdemo-dev-least-privilege\.json is not valid JSON/);
      // Its own resolution only: no "Fix: generate --attach" after it.
      assert.match(
        String(result.stderr),
        /Run `amplify least-privilege generate` to write the policy files again/,
      );
      assert.doesNotMatch(String(result.stderr), /Fix:|--attach/);
    });

    it('a broken config.json stops the command (it may have said block)', () => {
      const { run, project } = withFakeNpx('warn', FETCH_FAILS);
      fs.writeFileSync(path.join(project, 'amplify/least-privilege/config.json'), '{"mode": "block",');
      const result = run();
      assert.equal(result.status, 1);
      assert.match(String(result.stderr), /config\.json: it is not valid JSON/);
    });
  });
});
