#!/usr/bin/env node
// `npm run build`, before tsc: removes what tsc once wrote to lib/ for a source that no longer
// exists (a module or test moved or deleted), so that mocha never runs a test of the old layout
// and nothing requires a module of it. tsc itself only ever adds and overwrites.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const lib = path.join(root, 'lib');
const OUTPUTS = ['.d.ts.map', '.js.map', '.d.ts', '.js'];

function sourceOf(relative) {
  const ending = OUTPUTS.find((suffix) => relative.endsWith(suffix));
  return ending ? relative.slice(0, -ending.length) : undefined;
}

function clean(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      clean(file);
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      continue;
    }
    const base = sourceOf(path.relative(lib, file));
    // Only what tsc makes from .ts: the bundle and its cache (scripts/bundle-cli.js) stay.
    if (base === undefined || /\.bundle$/.test(base)) continue;
    if (!fs.existsSync(path.join(root, `${base}.ts`)) && !fs.existsSync(path.join(root, `${base}.js`)))
      fs.rmSync(file);
  }
}

for (const top of ['src', 'commands', 'test', 'bench', 'scripts']) clean(path.join(lib, top));
