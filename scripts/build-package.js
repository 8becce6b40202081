#!/usr/bin/env node
// `npm pack` / `npm publish` (prepack): builds exactly what the package ships, lib/src and
// lib/commands, from a clean slate and without source maps (the package ships no .ts, so a map
// would point at nothing). The development build (`npm run build`) keeps its maps and tests.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
for (const dir of ['src', 'commands'])
  fs.rmSync(path.join(root, 'lib', dir), { recursive: true, force: true });
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.error(
    'Packing builds lib/ with TypeScript, a dev dependency: run `npm ci` (without --omit=dev) first.',
  );
  process.exit(1);
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
// The standalone bin as one file (scripts/bundle-cli.js): a faster cold start.
execFileSync(process.execPath, [path.join(__dirname, 'bundle-cli.js')], { cwd: root, stdio: 'inherit' });
