import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { CORPUS_DIR, copyToTemp, corpusProjects, exampleProjects, REPO_ROOT } from '../support/paths';
import { runBin, type BinResult } from '../support/run-bin';
import { applyMutation, makeCase, mutation, OUTSIDE_MARKER, stateFiles, type CaseDirs } from './mutations';

/**
 * Properties over copies of the bundled examples and the corpus projects with mutated inputs
 * (test/fuzz/mutations.ts), run through the standalone bin as a user would. Fixed seeds and a
 * bounded number of runs keep them reproducible and within CI's time.
 */
const SEED = Number(process.env.LP_FUZZ_SEED ?? '20260926');
const RUNS = Number(process.env.LP_FUZZ_RUNS ?? '70');

/** A Node stack frame (`    at f (file.js:1:2)`): never in what the user sees. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/** Every entry under `dir` except `skip` (relative paths, `/` separated): kind and content hash. */
function snapshot(dir: string, skip: (relative: string) => boolean = () => false): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (current: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (skip(relative)) continue;
      if (entry.isSymbolicLink()) found.set(relative, `link ${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        found.set(relative, 'folder');
        visit(full);
      } else {
        const hash = crypto.createHash('sha1').update(fs.readFileSync(full)).digest('hex');
        found.set(relative, `file ${hash}`);
      }
    }
  };
  visit(dir);
  return found;
}

function assertSameTree(
  after: Map<string, string>,
  before: Map<string, string>,
  what: string,
  ignore: (relative: string) => boolean = () => false,
): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (k) => before.get(k) !== after.get(k) && !ignore(k),
  );
  assert.deepEqual(changed, [], `${what} changed: ${changed.slice(0, 5).join(', ')}`);
}

function assertClean(result: BinResult, args: readonly string[]): void {
  const shown = `bin ${args.join(' ')}\nexit ${result.status}\nstderr: ${result.stderr.slice(-1500)}`;
  assert.ok([0, 1, 2].includes(result.status ?? -1), `exit code 0, 1 or 2\n${shown}`);
  assert.doesNotMatch(result.stderr, STACK_FRAME, `no stack trace\n${shown}`);
  assert.doesNotMatch(result.stdout, STACK_FRAME, `no stack trace on stdout\n${shown}`);
  assert.ok(
    !`${result.stdout}${result.stderr}`.includes(OUTSIDE_MARKER),
    `nothing read from outside the project\n${shown}`,
  );
  // exit 1 can be a result (check: not covered) rather than an error; an error is one paragraph
  // Exploring (LP_FUZZ_LOG=file): every outcome is logged for a look.
  if (process.env.LP_FUZZ_LOG)
    fs.appendFileSync(
      process.env.LP_FUZZ_LOG,
      `${JSON.stringify({ args, status: result.status, stderr: result.stderr.split('\n').find((l) => l.startsWith('error:')) })}\n`,
    );
  assert.ok((result.stderr.match(/^error: /gm)?.length ?? 0) <= 1, `at most one error paragraph\n${shown}`);
  if (result.status === 2) assert.match(result.stderr, /^error: |^Unknown command/m, shown);
}

/** The projects to mutate: examples/ always, the corpus when it is beside the checkout. */
function baseProjects(): string[] {
  return [...exampleProjects(), ...corpusProjects().map((name) => path.join(CORPUS_DIR ?? '', name))];
}

describe('robustness: mutated projects through the standalone bin (fast-check)', function () {
  this.timeout(20 * 60_000);
  const bases = baseProjects();
  /** Each base copied once and generated once (the old files a failed write must keep). */
  const pristine = new Map<string, { dir: string; env: string }>();
  const pristineOf = (base: string): { dir: string; env: string } => {
    let entry = pristine.get(base);
    if (!entry) {
      const dir = copyToTemp(base);
      const result = runBin(['generate', '--project-dir', dir]);
      assert.equal(result.status, 0, `${base}: ${result.stderr}`);
      const state = stateFiles(dir)[0];
      entry = { dir, env: state ? path.basename(state).replace(/^state-|\.json$/g, '') : 'dev' };
      pristine.set(base, entry);
    }
    return entry;
  };
  let cases: string[] = [];
  const newCase = (base: string): CaseDirs => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-fuzz-'));
    cases.push(root);
    return makeCase(root, pristineOf(base).dir);
  };
  afterEach(() => {
    for (const root of cases) fs.rmSync(root, { recursive: true, force: true });
    cases = [];
  });
  after(() => {
    for (const { dir } of pristine.values()) fs.rmSync(dir, { recursive: true, force: true });
  });

  const COMMANDS: ReadonlyArray<readonly string[]> = [
    ['generate'],
    ['generate'],
    ['generate', '--json'],
    ['check'],
    ['check', '--json'],
    ['explain', 'iam:PassRole'],
  ];

  it('exit codes are 0, 1 or 2, no stack trace, nothing outside the project changes or is read, a failure writes nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...COMMANDS),
        (base, mutations, command) => {
          const dirs = newCase(base);
          const extra = mutations.flatMap((m) => applyMutation(m, dirs, pristineOf(base).env));
          const args = [...command, '--project-dir', dirs.project, ...extra];
          const out = outTarget(extra, dirs.project);
          const outputs = path.join(dirs.project, 'amplify', 'least-privilege');
          const projectRelative = path.relative(dirs.root, dirs.project).split(path.sep).join('/');
          const outsideBefore = snapshot(dirs.root, (relative) => relative === projectRelative);
          const insideBefore = snapshot(dirs.project, (relative) => relative === 'amplify/least-privilege');
          const outputsBefore = snapshot(outputs);

          const result = runBin(args, dirs.project);

          assertClean(result, args);
          // Only a successful run may write, and only the --out files, their review (FILE.review.md) and their new folder besides amplify/least-privilege.
          const written = (base: string) => (relative: string) =>
            result.status === 0 && out !== undefined && isOutFile(out, path.join(base, relative));
          assertSameTree(
            snapshot(dirs.root, (relative) => relative === projectRelative),
            outsideBefore,
            'outside the project',
            written(dirs.root),
          );
          assertSameTree(
            snapshot(dirs.project, (relative) => relative === 'amplify/least-privilege'),
            insideBefore,
            "the project's inputs",
            written(dirs.project),
          );
          const writes = command[0] === 'generate' && (command[1] !== '--json' || out !== undefined);
          const outputsAfter = snapshot(outputs);
          if (result.status !== 0 || !writes) {
            assertSameTree(outputsAfter, outputsBefore, 'amplify/least-privilege');
          }
          // A state written by this run lists policy files that exist and are JSON.
          for (const state of stateFiles(dirs.project)) {
            const name = path.relative(outputs, state).split(path.sep).join('/');
            if (outputsAfter.get(name) === outputsBefore.get(name)) continue;
            const recorded = JSON.parse(fs.readFileSync(state, 'utf8'));
            for (const { file } of recorded.policies)
              JSON.parse(fs.readFileSync(path.join(dirs.project, file), 'utf8'));
          }
          assert.deepEqual(leftovers(dirs.project), [], 'no temporary file is left');
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a failed rename leaves the earlier policy files and state byte-identical', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('push', 'push,delete', 'init,push,pull', 'codegen'),
        (base, failAt, phases) => {
          const dirs = newCase(base);
          const outputs = path.join(dirs.project, 'amplify', 'least-privilege');
          const before = snapshot(outputs);
          const planned = runBin(['generate', '--json', '--phases', phases, '--project-dir', dirs.project]);
          // policies + the state are renamed into place: a failure at or below that count must happen
          const staged = JSON.parse(planned.stdout).policies.length + 1;
          const args = ['generate', '--phases', phases, '--project-dir', dirs.project];
          const result = runBin(args, dirs.project, {
            NODE_OPTIONS: `--require ${path.join(REPO_ROOT, 'lib', 'test', 'support', 'fail-rename.js')}`,
            LP_FAIL_RENAME_AT: String(failAt),
          });
          assertClean(result, args);
          if (failAt <= staged || result.status !== 0) {
            assert.equal(result.status, 1, result.stderr);
            assert.match(result.stderr, /Nothing was changed/);
            assertSameTree(snapshot(outputs), before, 'amplify/least-privilege');
          }
          assert.deepEqual(leftovers(dirs.project), []);
        },
      ),
      { seed: SEED, numRuns: Math.max(10, Math.round(RUNS / 3)) },
    );
  });
});

/** The absolute --out target among the extra arguments, if any. */
function outTarget(extra: readonly string[], project: string): string | undefined {
  const index = extra.lastIndexOf('--out');
  return index >= 0 && extra[index + 1] !== undefined ? path.resolve(project, extra[index + 1]) : undefined;
}

/** `out`, `out-2`... (the files generate --out writes) or a folder on the way to them. */
function isOutFile(out: string, file: string): boolean {
  const ext = path.extname(out);
  const stem = out.slice(0, out.length - ext.length);
  return (
    new RegExp(`^${escape(stem)}-\\d+${escape(ext)}$`).test(file) ||
    file === `${stem}.review.md` ||
    isUnder(file, out)
  );
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const isUnder = (dir: string, target: string): boolean => {
  const relative = path.relative(dir, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** Temporary and backup files of the writer left anywhere in the project. */
const leftovers = (project: string): string[] =>
  [...snapshot(project).keys()].filter((file) => /\.\d+-[a-z0-9]+\.(tmp|old)$/.test(file));
