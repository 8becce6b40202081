import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'check-test-prerequisites.js');

/** Runs the check `npm test` starts with, with `python3` resolved from `pathDirs` only. */
function check(pathDirs: readonly string[]) {
  return spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, PATH: pathDirs.join(path.delimiter), LP_REQUIRE_REAL_CLI: '1' },
  });
}

/** A folder whose `python3` is the real one started with -S: no site-packages, so no moto. */
function pythonWithoutModules(): string {
  const real = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-python-'));
  fs.writeFileSync(path.join(dir, 'python3'), `#!/bin/sh\nexec "${real.stdout.trim()}" -S "$@"\n`, {
    mode: 0o755,
  });
  return dir;
}

describe('npm test: the prerequisites it checks first (pretest)', () => {
  it('passes silently where python3 -m moto.server can run (this machine)', () => {
    const result = check((process.env.PATH ?? '').split(path.delimiter));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
  });

  it('stops with one line naming moto and how to install it when python3 lacks it', () => {
    const result = check([pythonWithoutModules()]);
    assert.equal(result.status, 1);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      "npm test needs moto in python3 (a local IAM for the attach tests): ModuleNotFoundError: No module named 'moto'; install it with python3 -m pip install 'moto[server]'.",
    ]);
  });

  it('stops with one line naming Python 3 when there is no python3', () => {
    const result = check([fs.mkdtempSync(path.join(os.tmpdir(), 'alp-empty-path-'))]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(
      result.stderr.trim(),
      /^npm test needs Python 3 with moto .*: python3 was not found; install Python 3, then python3 -m pip install 'moto\[server\]'\.$/,
    );
  });
});
