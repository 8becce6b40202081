#!/usr/bin/env node
// Installs the real Amplify CLI (JavaScript build, ~1.4 GB, ~3 minutes) into test/e2e/cli from
// that folder's own package.json and lockfile, for the end-to-end tests. Skips the install
// when the lockfile has not changed since the last one. Exits non-zero when the install fails.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'test', 'e2e', 'cli');
const marker = path.join(dir, 'node_modules', '.installed-lock-sha256');
const lockHash = crypto
  .createHash('sha256')
  .update(fs.readFileSync(path.join(dir, 'package-lock.json')))
  .digest('hex');
const amplify = path.join(dir, 'node_modules', '.bin', 'amplify');

if (fs.existsSync(amplify) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === lockHash) {
  console.log('The real Amplify CLI is already installed in test/e2e/cli.');
  process.exit(0);
}
console.log('Installing the real Amplify CLI into test/e2e/cli (about 3 minutes)...');
execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
if (!fs.existsSync(amplify)) {
  console.error('The install finished but node_modules/.bin/amplify is missing.');
  process.exit(1);
}
fs.writeFileSync(marker, lockHash);
console.log(
  'Installed:',
  execFileSync(amplify, ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_UPDATE_NOTIFIER: '1' },
  }).trim(),
);
