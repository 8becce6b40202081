import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NamedPolicy } from '../model';
import { renderDocument } from '../policy/render';

/** Where `generate` writes policies by default, relative to the project root. */
export const POLICY_DIR = path.join('amplify', 'least-privilege');

/** A policy document as written to disk: two-space JSON, trailing newline; ready for `aws iam create-policy`. */
export const policyFileText = (policy: NamedPolicy): string =>
  `${JSON.stringify(renderDocument(policy.document), null, 2)}\n`;

/**
 * Target files: `<dir>/<policy name>.json` by default; with `out`, `out` for the first
 * document and `<out stem>-2<ext>`, `-3`... for the others.
 */
export function policyFilePaths(policies: readonly NamedPolicy[], rootDir: string, out?: string): string[] {
  if (!out) return policies.map((policy) => path.join(rootDir, POLICY_DIR, `${policy.name}.json`));
  const ext = path.extname(out);
  const stem = out.slice(0, out.length - ext.length);
  return policies.map((_, index) => (index === 0 ? out : `${stem}-${index + 1}${ext}`));
}

/**
 * Writes all files or none: each goes to a temporary file beside its target first, and only
 * when every one is written are they renamed into place. In the default folder, files of this
 * project and env left by an earlier run with more documents are removed.
 */
export async function writePolicyFiles(
  policies: readonly NamedPolicy[],
  files: readonly string[],
  baseName?: string,
): Promise<void> {
  const temporary = files.map((file) => `${file}.${process.pid}.tmp`);
  try {
    for (const [index, file] of temporary.entries()) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, policyFileText(policies[index]));
    }
    for (const [index, file] of temporary.entries()) fs.renameSync(file, files[index]);
  } catch (err) {
    for (const file of temporary) {
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // best effort: the write's own error is the one to report
      }
    }
    throw err;
  }
  if (baseName && files.length > 0) await removeStaleFiles(path.dirname(files[0]), baseName, files);
}

async function removeStaleFiles(dir: string, baseName: string, keep: readonly string[]): Promise<void> {
  const ours = new RegExp(`^${baseName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-\\d+)?\\.json$`);
  const kept = new Set(keep.map((file) => path.basename(file)));
  for (const name of fs.readdirSync(dir)) {
    if (ours.test(name) && !kept.has(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
