import path = require('node:path');

/**
 * One input the engine read from the project, relative to the project root with forward
 * slashes. The pre-push guard hashes exactly these (src/outputs/inputs-hash.ts), so a change to
 * anything the engine looked at, and to nothing else, makes it check again:
 * - `file`: the file's content, or its absence;
 * - `exists`: whether the path exists, and as a file or a folder (symbolic links followed);
 * - `dir`: the folder's listing (names and entry types), or its absence;
 * - `json`: one top-level key of a JSON file, when the engine uses only that part of a file
 *   the CLI rewrites with timestamps (amplify-meta.json's `providers`).
 */
export type InputRead =
  | { readonly kind: 'file' | 'exists' | 'dir'; readonly path: string }
  | { readonly kind: 'json'; readonly path: string; readonly key: string };

interface ActiveLog {
  readonly rootDir: string;
  readonly reads: Map<string, InputRead>;
}

/** The log being recorded: set while the engine reads the project (synchronously), else undefined. */
let active: ActiveLog | undefined;

/** Starts recording the project's reads; `stop()` returns them, sorted and without duplicates. */
export function startReadLog(rootDir: string): { stop(): InputRead[] } {
  const log: ActiveLog = { rootDir, reads: new Map() };
  active = log;
  return {
    stop: () => {
      if (active === log) active = undefined;
      return normalizedReads([...log.reads.values()]);
    },
  };
}

/** Notes one read of `file` (an absolute path) in the active log, if any. */
export function noteRead(kind: 'file' | 'exists' | 'dir', file: string): void;
export function noteRead(kind: 'json', file: string, key: string): void;
export function noteRead(kind: InputRead['kind'], file: string, key?: string): void {
  if (!active) return;
  const relative = path.relative(active.rootDir, file).split(path.sep).join('/');
  const read = (kind === 'json' ? { kind, path: relative, key } : { kind, path: relative }) as InputRead;
  active.reads.set(`${kind}\n${relative}\n${key ?? ''}`, read);
}

/** Sorted, deduplicated, and without a `json` key of a file that was also read whole. */
export function normalizedReads(reads: readonly InputRead[]): InputRead[] {
  const whole = new Set(reads.filter((r) => r.kind === 'file').map((r) => r.path));
  const seen = new Set<string>();
  const kept: InputRead[] = [];
  for (const read of reads) {
    if (read.kind === 'json' && whole.has(read.path)) continue;
    const id = `${read.path}\n${read.kind}\n${read.kind === 'json' ? read.key : ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    kept.push(read);
  }
  return kept.sort((a, b) => {
    const byPath = a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    if (byPath !== 0) return byPath;
    const ka = `${a.kind}\n${a.kind === 'json' ? a.key : ''}`;
    const kb = `${b.kind}\n${b.kind === 'json' ? b.key : ''}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
