#!/usr/bin/env node
// `npm test` runs this first (pretest): the attach tests start a local IAM/STS with
// `python3 -m moto.server`, which npm cannot install. Without it, say so in one line and stop,
// instead of failing deep inside a test. A missing real Amplify CLI only skips the e2e suites
// (unless LP_REQUIRE_REAL_CLI is set), so it gets a note.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const INSTALL = "python3 -m pip install 'moto[server]'";
const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
if (probe.error) {
  console.error(
    `npm test needs Python 3 with moto (a local IAM for the attach tests): python3 was not found; install Python 3, then ${INSTALL}.`,
  );
  process.exit(1);
}
if (probe.status !== 0) {
  const reason = probe.stderr.trim().split('\n').pop();
  console.error(
    `npm test needs moto in python3 (a local IAM for the attach tests): ${reason}; install it with ${INSTALL}.`,
  );
  process.exit(1);
}
const amplify = path.join(__dirname, '..', 'test', 'e2e', 'cli', 'node_modules', '.bin', 'amplify');
if (!fs.existsSync(amplify) && !process.env.LP_REQUIRE_REAL_CLI) {
  console.log(
    'Note: the real Amplify CLI is not installed (npm run setup:e2e): the end-to-end suites will be skipped.',
  );
}
