import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { readmeSection, shellCommands } from '../support/readme';
import { AMPLIFY_BIN, projectCopy, quietCliEnv, runAmplify, skipWithoutRealCli } from '../support/real-cli';

const VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const TARBALL = `amplify-least-privilege-${VERSION}.tgz`;
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'lpdemo');

/** The README's install commands from a checkout: two blocks, the package and the checkout itself. */
const INSTALL = shellCommands(readmeSection('Install'));
/** The README's two fresh-machine commands: the example, then the tests. */
const DEVELOP = shellCommands(readmeSection('Develop'));

describe('package: the README names exactly the commands the pack test runs', () => {
  it('Install: npm ci && npm pack, npm install -g of that tarball, or npm run build && amplify plugin add', () => {
    assert.deepEqual(INSTALL, [
      ['npm ci && npm pack', `npm install -g ./${TARBALL}`],
      ['npm run build && amplify plugin add "$(pwd)"'],
    ]);
    // The registry install is named, and said to apply once the package is published.
    assert.match(readmeSection('Install'), /once .*published.*`npm install -g amplify-least-privilege`/is);
  });

  it('Develop: the example command, and the test command that CI (.ci/run) runs', () => {
    assert.deepEqual(DEVELOP, [['npm ci && npm run example', 'npm ci && npm run setup:e2e && npm test']]);
    const ci = fs
      .readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((line) => /^npm /.test(line))
      .map((line) => line.replace(/ --no-(audit|fund)/g, ''));
    const testCommand = DEVELOP[0][1].split(' && ');
    assert.deepEqual(ci.slice(0, testCommand.length), testCommand);
    // CI may run more suites after it (the trace tests): each one is named in the README too.
    const develop = readmeSection('Develop');
    for (const extra of ci.slice(testCommand.length)) assert.ok(develop.includes(`\`${extra}\``), extra);
  });
});

/**
 * A fresh `git clone` of this checkout's HEAD, set up and packed with the README's own command
 * lines (run as written, by a shell), the tarball installed into a temporary global prefix and
 * run from there: the bin, and the plugin inside the real Amplify CLI. npm finds packages in its
 * cache first (prefer-offline); a machine without them fetches them from the registry.
 */
describe('package: a fresh clone packs, installs and runs', function () {
  this.timeout(600_000);
  let root: string | undefined;
  let clone: string;
  let prefix: string;
  let packageDir: string;
  const npmEnv = (): NodeJS.ProcessEnv => ({
    ...withoutNpm(process.env),
    npm_config_prefix: prefix,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  });

  before(function () {
    const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (git.status !== 0) {
      console.log('    (skipped: not a git checkout)');
      this.skip();
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-pack-'));
    clone = path.join(root, 'clone');
    prefix = path.join(root, 'prefix');
    packageDir = path.join(prefix, 'lib', 'node_modules', 'amplify-least-privilege');
    run('git', ['clone', '--quiet', REPO_ROOT, clone], root);
  });
  // The clone's node_modules and the prefix hold about 200 MB.
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it("the README's example command works in the fresh clone: npm ci && npm run example", () => {
    const result = shell(DEVELOP[0][0], clone, npmEnv());
    assert.match(result.stdout, /amplify-lpdemo-dev-least-privilege\.json/);
    assert.ok(
      fs.existsSync(
        path.join(
          clone,
          'examples',
          'lpdemo',
          'amplify',
          'least-privilege',
          'amplify-lpdemo-dev-least-privilege.json',
        ),
      ),
    );
  });

  it('npm ci && npm pack builds the tarball: the code, data/, LICENSE; no tests, no source maps', () => {
    const result = shell(INSTALL[0][0], clone, npmEnv());
    assert.equal(result.stdout.trim().split('\n').pop(), TARBALL);
    const files = run('tar', ['-tzf', TARBALL], clone)
      .stdout.split('\n')
      .filter((file) => file && !file.endsWith('/'))
      .map((file) => file.replace(/^package\//, ''));
    const expected = [
      'package.json',
      'README.md',
      'LICENSE',
      'amplify-plugin.json',
      'lib/src/cli.js',
      // The bin as one file and V8's code cache of it (scripts/bundle-cli.js).
      'lib/src/cli.bundle.js',
      'lib/src/cli.bundle.cache',
      'lib/src/index.js',
      'lib/src/index.d.ts',
      ...tracked(clone, 'commands').map((file) => file.replace(/^commands\/(.*)\.ts$/, 'lib/commands/$1.js')),
      ...tracked(clone, 'data'),
    ];
    for (const file of expected) assert.ok(files.includes(file), `${file} is in the package`);
    const outside = files.filter(
      (file) => !/^(lib\/(src|commands)\/|data\/)/.test(file) && !expected.includes(file),
    );
    assert.deepEqual(outside, [], 'nothing else at the top');
    assert.deepEqual(
      files.filter(
        (file) =>
          /(^|\/)(test|bench|scripts|examples)\/|\.test\.|\.map$|\.ts$/.test(file) && !file.endsWith('.d.ts'),
      ),
      [],
      'no tests, benches, scripts, examples, sources or source maps',
    );
  });

  it('npm install -g of the tarball installs the bin: --version, -v and generate work outside the checkout', () => {
    shell(INSTALL[0][1], clone, npmEnv());
    const bin = path.join(prefix, 'bin', 'amplify-least-privilege');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-user-'));
    for (const flag of ['--version', '-v']) assert.equal(run(bin, [flag], outside).stdout, `${VERSION}\n`);
    assert.ok(
      !fs.existsSync(path.join(packageDir, 'node_modules', 'typescript')),
      'no dev dependencies installed',
    );

    const installed = projectCopy(EXAMPLE);
    const generated = run(bin, ['generate', '--project-dir', installed], outside);
    assert.match(generated.stderr + generated.stdout, /amplify-lpdemo-dev-least-privilege\.json/);
    // The same documents as the clone's own build: the package holds everything generate reads.
    const fromClone = projectCopy(EXAMPLE);
    run(
      process.execPath,
      [path.join(clone, 'lib', 'src', 'cli.js'), 'generate', '--project-dir', fromClone],
      outside,
    );
    assert.deepEqual(policyFiles(installed), policyFiles(fromClone));
    assert.ok(Object.keys(policyFiles(installed)).length > 0);
  });

  it('the real Amplify CLI finds the globally installed package by itself: --version, generate', function () {
    skipWithoutRealCli(this);
    // The CLI takes the global npm prefix from PREFIX (else ~/.npmrc, else npm's own).
    const env = withoutNpm({ ...quietCliEnv(), PREFIX: prefix });
    const project = projectCopy(EXAMPLE);
    const version = runAmplify(['least-privilege', '--version'], project, env);
    assert.equal(version.status, 0, version.output);
    assert.equal(version.stdout.trim().split('\n').pop(), VERSION);
    const plugins = fs.readFileSync(path.join(env.HOME ?? '', '.amplify', 'plugins.json'), 'utf8');
    assert.ok(plugins.includes(JSON.stringify(packageDir)), 'the plugin is the installed package');
    const generated = runAmplify(['least-privilege', 'generate'], project, env);
    assert.equal(generated.status, 0, generated.output);
    assert.ok(Object.keys(policyFiles(project)).length > 0);
  });

  it('or, from the checkout: npm run build && amplify plugin add "$(pwd)"', function () {
    skipWithoutRealCli(this);
    const env = withoutNpm({
      ...quietCliEnv(),
      PATH: `${path.dirname(AMPLIFY_BIN)}${path.delimiter}${process.env.PATH}`,
    });
    const added = shell(INSTALL[1][0], clone, env);
    assert.match(added.stdout, /Successfully added plugin package/);
    const version = runAmplify(['least-privilege', '--version'], projectCopy(EXAMPLE), env);
    assert.equal(version.status, 0, version.output);
    assert.equal(version.stdout.trim().split('\n').pop(), VERSION);
    const plugins = fs.readFileSync(path.join(env.HOME ?? '', '.amplify', 'plugins.json'), 'utf8');
    assert.ok(plugins.includes(JSON.stringify(clone)), 'the plugin is the clone');
  });
});

/** `env` without what an outer `npm test` exports to its scripts (npm_*, INIT_CWD). */
function withoutNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'),
  );
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = withoutNpm(process.env),
) {
  const result = spawnSync(command, [...args], { cwd, env, encoding: 'utf8', input: '' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Runs one README command line as a user's shell would. */
function shell(line: string, cwd: string, env: NodeJS.ProcessEnv) {
  return run('sh', ['-c', line], cwd, env);
}

/** The files of a folder that git tracks, relative to the clone. */
function tracked(clone: string, folder: string): string[] {
  return run('git', ['ls-files', folder], clone).stdout.split('\n').filter(Boolean);
}

function policyFiles(project: string): Record<string, string> {
  const dir = path.join(project, 'amplify', 'least-privilege');
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((file) => /-least-privilege(-\d+)?\.json$/.test(file))
      .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}
