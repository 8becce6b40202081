import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (holds package.json), found from this file in test/ or lib/test/. */
export const REPO_ROOT = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'amplify-plugin.json')))
      return dir;
    if (path.dirname(dir) === dir) throw new Error('repository root not found');
  }
})();

/** The shared corpus of real projects, beside the checkout; undefined in a user's clone. */
export const CORPUS_DIR = ((): string | undefined => {
  const dir = path.join(REPO_ROOT, '..', 'shared', 'corpus', 'real');
  return fs.existsSync(path.join(dir, 'INDEX.tsv')) ? dir : undefined;
})();

export const REFERENCE_DIR = ((): string | undefined => {
  const dir = path.join(REPO_ROOT, '..', 'shared', 'reference');
  return fs.existsSync(dir) ? dir : undefined;
})();

/** The corpus projects (folder names), or [] with a visible note when the corpus is absent. */
export function corpusProjects(): string[] {
  if (!CORPUS_DIR) {
    console.log('    (skipped: ../shared/corpus/real is not beside this checkout)');
    return [];
  }
  return fs
    .readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Example projects made by the real Amplify CLI, committed under examples/. */
export function exampleProjects(): string[] {
  const dir = path.join(REPO_ROOT, 'examples');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'amplify')))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** Copies a project into a fresh temporary folder (tests must not write into the corpus or examples). */
export function copyToTemp(projectDir: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-'));
  // Output of earlier runs (npm run example) is not part of the project.
  fs.cpSync(projectDir, target, {
    recursive: true,
    filter: (source) => !isOutput(projectDir, source),
  });
  return target;
}

/** Output of earlier runs (`npm run example`) in a project's amplify/least-privilege folder. */
export function isOutput(projectDir: string, source: string): boolean {
  return (
    path.relative(projectDir, source).split(path.sep).slice(0, 2).join('/') === 'amplify/least-privilege'
  );
}
