import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { LeastPrivilegeError } from '../../src/errors';
import { checkTargets, commitFiles, type FileChange, type FileOps } from '../../src/outputs/file-transaction';

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'alp-tx-'));

/** Every file under `dir` (relative path → content), links and folders marked. */
function tree(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full);
      if (entry.isSymbolicLink()) found[relative] = `link -> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) {
        found[`${relative}/`] = 'folder';
        walk(full);
      } else found[relative] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return found;
}

/** node:fs with the `n`th call of `name` failing (EACCES). */
function failingOps(name: keyof FileOps, n: number): FileOps {
  let calls = 0;
  const original = fs[name] as (...args: unknown[]) => unknown;
  return {
    ...fs,
    [name]: (...args: unknown[]) => {
      if (++calls === n)
        throw Object.assign(new Error(`EACCES: injected failure of ${name}`), { code: 'EACCES' });
      return original(...args);
    },
  } as FileOps;
}

describe('file transaction: all or none', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes new files, replaces old ones, removes the ones without content, and leaves nothing else', () => {
    fs.writeFileSync(path.join(dir, 'a.json'), 'old a');
    fs.writeFileSync(path.join(dir, 'gone.json'), 'old gone');
    commitFiles(
      [
        { file: path.join(dir, 'a.json'), content: 'new a' },
        { file: path.join(dir, 'sub', 'b.json'), content: 'new b' },
        { file: path.join(dir, 'gone.json') },
      ],
      { root: dir },
    );
    assert.deepEqual(tree(dir), { 'a.json': 'new a', 'sub/': 'folder', 'sub/b.json': 'new b' });
  });

  it('rolls back the files already replaced when the second rename fails', () => {
    fs.writeFileSync(path.join(dir, 'p.json'), 'old p');
    fs.writeFileSync(path.join(dir, 'p-2.json'), 'old p-2');
    fs.writeFileSync(path.join(dir, 'state-dev.json'), 'old state');
    const before = tree(dir);
    const changes: FileChange[] = [
      { file: path.join(dir, 'p.json'), content: 'new p' },
      { file: path.join(dir, 'p-2.json'), content: 'new p-2' },
      { file: path.join(dir, 'state-dev.json'), content: () => 'new state' },
    ];
    assert.throws(
      () => commitFiles(changes, { root: dir, ops: failingOps('renameSync', 2) }),
      (err: unknown) =>
        err instanceof LeastPrivilegeError &&
        err.kind === 'project' &&
        /replacing p-2\.json.*Nothing was changed/.test(err.message),
    );
    assert.deepEqual(tree(dir), before);
  });

  it('removes files it created and folders it made when a later step fails', () => {
    fs.writeFileSync(path.join(dir, 'keep.json'), 'old');
    const before = tree(dir);
    assert.throws(() =>
      commitFiles(
        [
          { file: path.join(dir, 'new', 'deep', 'x.json'), content: 'x' },
          { file: path.join(dir, 'keep.json'), content: 'new' },
        ],
        { root: dir, ops: failingOps('renameSync', 2) },
      ),
    );
    assert.deepEqual(tree(dir), before);
  });

  it('restores a removed file when a later step fails, and when a late content throws', () => {
    fs.writeFileSync(path.join(dir, 'stale.json'), 'stale');
    fs.writeFileSync(path.join(dir, 'p.json'), 'old p');
    const before = tree(dir);
    assert.throws(() =>
      commitFiles(
        [
          { file: path.join(dir, 'p.json'), content: 'new p' },
          { file: path.join(dir, 'stale.json') },
          {
            file: path.join(dir, 'state-dev.json'),
            content: () => {
              throw new Error('hash failed');
            },
          },
        ],
        { root: dir },
      ),
    );
    assert.deepEqual(tree(dir), before);
  });

  it('keeps the old file by copy when hard links are not supported', () => {
    fs.writeFileSync(path.join(dir, 'p.json'), 'old p');
    fs.writeFileSync(path.join(dir, 'q.json'), 'old q');
    const before = tree(dir);
    const noLinks: FileOps = {
      ...failingOps('renameSync', 2),
      linkSync: () => {
        throw Object.assign(new Error('EPERM: links not supported'), { code: 'EPERM' });
      },
    };
    assert.throws(() =>
      commitFiles(
        [
          { file: path.join(dir, 'p.json'), content: 'new p' },
          { file: path.join(dir, 'q.json'), content: 'new q' },
        ],
        { root: dir, ops: noLinks },
      ),
    );
    assert.deepEqual(tree(dir), before);
  });

  it('says which files it could not restore, and where their old content is', () => {
    fs.writeFileSync(path.join(dir, 'p.json'), 'old p');
    fs.writeFileSync(path.join(dir, 'q.json'), 'old q');
    let renames = 0;
    const ops: FileOps = {
      ...fs,
      renameSync: (from: fs.PathLike, to: fs.PathLike) => {
        renames++;
        // the second swap fails, and so does every rename back
        if (renames >= 2) throw Object.assign(new Error('EIO: disk gone'), { code: 'EIO' });
        fs.renameSync(from, to);
      },
    };
    assert.throws(
      () =>
        commitFiles(
          [
            { file: path.join(dir, 'p.json'), content: 'new p' },
            { file: path.join(dir, 'q.json'), content: 'new q' },
          ],
          { root: dir, ops },
        ),
      (err: unknown) =>
        err instanceof LeastPrivilegeError &&
        /could not be restored: p\.json \(its earlier content is in p\.json\./.test(err.message),
    );
    const backup = fs.readdirSync(dir).find((name) => name.startsWith('p.json.') && name.endsWith('.old'));
    assert.ok(backup, 'the old content is kept');
    assert.equal(fs.readFileSync(path.join(dir, backup), 'utf8'), 'old p');
  });

  it('refuses symbolic links and folders as targets, and linked folders under the root, before writing', () => {
    const elsewhere = tempDir();
    try {
      fs.mkdirSync(path.join(dir, 'amplify'));
      fs.symlinkSync(elsewhere, path.join(dir, 'amplify', 'least-privilege'));
      assert.throws(
        () =>
          commitFiles([{ file: path.join(dir, 'amplify', 'least-privilege', 'p.json'), content: 'x' }], {
            root: dir,
          }),
        /amplify\/least-privilege is a symbolic link/,
      );
      fs.writeFileSync(path.join(elsewhere, 'target.json'), 'theirs');
      fs.symlinkSync(path.join(elsewhere, 'target.json'), path.join(dir, 'p.json'));
      assert.throws(() => checkTargets([path.join(dir, 'p.json')], dir), /p\.json is a symbolic link/);
      fs.mkdirSync(path.join(dir, 'folder.json'));
      assert.throws(() => checkTargets([path.join(dir, 'folder.json')], dir), /folder\.json is a folder/);
      assert.deepEqual(tree(elsewhere), { 'target.json': 'theirs' });
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('property: whichever file operation fails, the folder is byte-identical to before; without a failure it holds exactly the new contents', () => {
    const name = fc.constantFrom('p.json', 'p-2.json', 'p-3.json', 'state-dev.json', 'sub/x.json');
    const changeArb = fc.record({
      name,
      content: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      late: fc.boolean(),
    });
    const opArb = fc.constantFrom<keyof FileOps>(
      'renameSync',
      'writeFileSync',
      'linkSync',
      'unlinkSync',
      'mkdirSync',
    );
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ maxLength: 20 }), { maxKeys: 4 }),
        fc.uniqueArray(changeArb, { selector: (c) => c.name, minLength: 1, maxLength: 5 }),
        fc.option(fc.tuple(opArb, fc.integer({ min: 1, max: 6 })), { nil: undefined }),
        (existing, changes, failure) => {
          const root = tempDir();
          try {
            for (const [file, content] of Object.entries(existing)) {
              fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
              fs.writeFileSync(path.join(root, file), content);
            }
            const before = tree(root);
            const ops = failure ? failingOps(failure[0], failure[1]) : fs;
            let failed = false;
            try {
              commitFiles(
                changes.map((c) => ({
                  file: path.join(root, c.name),
                  content:
                    c.content === undefined ? undefined : c.late ? () => c.content as string : c.content,
                })),
                { root, ops },
              );
            } catch (err) {
              assert.ok(err instanceof LeastPrivilegeError, String(err));
              failed = true;
            }
            const after = tree(root);
            // A failed clean-up after the swap leaves the old content beside the new file, nothing worse.
            if (!failed && failure?.[0] === 'unlinkSync')
              for (const file of Object.keys(after)) if (file.endsWith('.old')) delete after[file];
            if (failed) {
              assert.deepEqual(after, before);
            } else {
              const expected = { ...before };
              for (const c of changes) {
                if (c.content === undefined) delete expected[c.name];
                else {
                  expected[c.name] = c.content;
                  if (c.name.includes('/')) expected[`${path.dirname(c.name)}/`] = 'folder';
                }
              }
              assert.deepEqual(after, expected);
            }
          } finally {
            fs.rmSync(root, { recursive: true, force: true });
          }
        },
      ),
      { seed: 20260926, numRuns: 300 },
    );
  });
});
