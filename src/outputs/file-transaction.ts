import fs = require('node:fs');
import path = require('node:path');
import { projectError } from '../errors';

/**
 * Writes a set of files all or none. Every new content goes to a temporary file beside its
 * target first; then the targets are replaced one by one with renames, each old file kept as a
 * hard link (or copy) until the end. When a step fails, the targets already replaced get their
 * old content back (renamed into place) and new files are removed: the folder is as before.
 * Only node:fs and node:path.
 */

/** One file to write (content) or remove (no content). */
export interface FileChange {
  /** Absolute path. */
  readonly file: string;
  /**
   * The new content; a function is called when the changes before it are in place (the guard
   * state holds a hash of the policy files). Undefined: the file is removed.
   */
  readonly content?: string | (() => string);
}

/** The node:fs calls the writer makes; tests hand in failing ones. */
export type FileOps = Pick<
  typeof fs,
  | 'lstatSync'
  | 'mkdirSync'
  | 'writeFileSync'
  | 'renameSync'
  | 'linkSync'
  | 'copyFileSync'
  | 'unlinkSync'
  | 'rmdirSync'
>;

export interface CommitOptions {
  /** The project root: folders from it down to each target must be real folders, not symbolic links. */
  readonly root?: string;
  readonly ops?: FileOps;
}

/**
 * Refuses targets that are not regular files (a folder, a symbolic link, a device) and, under
 * `root`, parent folders that are symbolic links or files: a write must land where it says.
 */
export function checkTargets(files: readonly string[], root: string | undefined, ops: FileOps = fs): void {
  for (const file of files) {
    const stats = lstatOrUndefined(file, ops);
    if (stats && !stats.isFile()) {
      throw projectError(
        `${shown(file, root)} is ${stats.isSymbolicLink() ? 'a symbolic link' : stats.isDirectory() ? 'a folder' : 'not a regular file'}; amplify-least-privilege writes only regular files.`,
        stats.isSymbolicLink()
          ? 'Remove the link (the policy files belong in the project itself), then run the command again.'
          : 'Move it away or choose another output file, then run the command again.',
      );
    }
    for (const dir of foldersBetween(root, path.dirname(file))) {
      const dirStats = lstatOrUndefined(dir, ops);
      if (dirStats && !dirStats.isDirectory()) {
        throw projectError(
          `${shown(dir, root)} is ${dirStats.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; amplify-least-privilege writes only inside the project's own folders.`,
          'Replace it with a real folder (or remove it), then run the command again.',
        );
      }
    }
  }
}

/** Writes every change or none (see the module comment). Throws a project error saying what failed. */
export function commitFiles(changes: readonly FileChange[], options: CommitOptions = {}): void {
  const ops = options.ops ?? fs;
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  checkTargets(
    changes.map((c) => c.file),
    options.root,
    ops,
  );
  const createdDirs: string[] = [];
  const temporary = new Map<FileChange, string>();
  const replaced: Array<{ file: string; backup?: string }> = [];
  let step = 'preparing';
  try {
    for (const change of changes) {
      if (change.content === undefined) continue;
      step = `creating the folder of ${shown(change.file, options.root)}`;
      createdDirs.push(...makeFolders(path.dirname(change.file), ops));
    }
    for (const change of changes) {
      if (typeof change.content !== 'string') continue;
      step = `writing a temporary file beside ${shown(change.file, options.root)}`;
      temporary.set(change, writeTemporary(change.file, change.content, tag, ops));
    }
    for (const change of changes) {
      step = `replacing ${shown(change.file, options.root)}`;
      if (typeof change.content === 'function') {
        temporary.set(change, writeTemporary(change.file, change.content(), tag, ops));
      }
      const exists = lstatOrUndefined(change.file, ops) !== undefined;
      const backup = exists ? keepOld(change.file, tag, ops) : undefined;
      const staged = temporary.get(change);
      try {
        if (staged !== undefined) ops.renameSync(staged, change.file);
        else if (exists) ops.unlinkSync(change.file);
      } catch (err) {
        // A rename or unlink that failed changed nothing: the file is still the old one.
        if (backup) removeQuietly(backup, ops);
        throw err;
      }
      if (staged !== undefined) temporary.delete(change);
      replaced.push({ file: change.file, backup });
    }
  } catch (err) {
    const unrestored = rollBack(replaced, ops);
    for (const file of temporary.values()) removeQuietly(file, ops);
    for (const dir of createdDirs.reverse()) removeFolderQuietly(dir, ops);
    const reason = (err as Error)?.message?.split('\n')[0] ?? String(err);
    throw projectError(
      unrestored.length === 0
        ? `Failed while ${step}: ${reason}. Nothing was changed: the earlier files are as they were.`
        : `Failed while ${step}: ${reason}. These files could not be restored: ${unrestored.map((u) => `${shown(u.file, options.root)} (its earlier content is in ${shown(u.backup, options.root)})`).join(', ')}.`,
      'Check that the folder can be written (permissions, free space, no file locked by another program), then run the command again.',
      err,
    );
  }
  for (const { backup } of replaced) if (backup) removeQuietly(backup, ops);
}

/** Undoes the replacements, last first; returns those whose old content could not be put back. */
function rollBack(
  replaced: ReadonlyArray<{ file: string; backup?: string }>,
  ops: FileOps,
): Array<{ file: string; backup: string }> {
  const unrestored: Array<{ file: string; backup: string }> = [];
  for (const { file, backup } of [...replaced].reverse()) {
    try {
      if (backup) {
        ops.renameSync(backup, file);
        // A rename between two names of one file does nothing: the backup may still be there.
        removeQuietly(backup, ops);
      } else removeQuietly(file, ops);
    } catch {
      if (backup) unrestored.push({ file, backup });
    }
  }
  return unrestored;
}

function writeTemporary(file: string, content: string, tag: string, ops: FileOps): string {
  const temporary = `${file}.${tag}.tmp`;
  // 'wx': never through an existing file or link of that name.
  ops.writeFileSync(temporary, content, { flag: 'wx' });
  return temporary;
}

/** A second name for the current file (a hard link, else a copy): the rollback renames it back. */
function keepOld(file: string, tag: string, ops: FileOps): string {
  const backup = `${file}.${tag}.old`;
  try {
    ops.linkSync(file, backup);
  } catch {
    ops.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
  }
  return backup;
}

/** Creates the missing folders of `dir`; returns those it created, outermost first. */
function makeFolders(dir: string, ops: FileOps): string[] {
  const missing: string[] = [];
  for (let current = dir; lstatOrUndefined(current, ops) === undefined; current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing) ops.mkdirSync(folder);
  return missing;
}

/** The folders from `root` (excluded) down to `dir` (included); none when dir is outside root. */
function foldersBetween(root: string | undefined, dir: string): string[] {
  if (!root) return [];
  const relative = path.relative(root, dir);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return [];
  const parts = relative.split(path.sep);
  return parts.map((_, index) => path.join(root, ...parts.slice(0, index + 1)));
}

function lstatOrUndefined(file: string, ops: FileOps): fs.Stats | undefined {
  try {
    return ops.lstatSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function removeQuietly(file: string, ops: FileOps): void {
  try {
    ops.unlinkSync(file);
  } catch {
    // already gone, or nothing more can be done
  }
}

function removeFolderQuietly(dir: string, ops: FileOps): void {
  try {
    ops.rmdirSync(dir);
  } catch {
    // not empty (someone else's files) or already gone
  }
}

const shown = (file: string, root: string | undefined): string =>
  root && !path.relative(root, file).startsWith('..') ? path.relative(root, file) : file;
