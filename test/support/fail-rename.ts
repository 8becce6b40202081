/**
 * Loaded into the standalone bin with `node --require` (NODE_OPTIONS) by the tests: the Nth
 * rename of a staged file into place (`*.tmp` → target) fails with EACCES, as a read-only or
 * locked target would. LP_FAIL_RENAME_AT=N chooses which; renames back (rollback) always work.
 */
// The module object itself (not an ES namespace copy), so that the bin's own calls see the change.
import fs = require('node:fs');

const failAt = Number(process.env.LP_FAIL_RENAME_AT ?? '0');
let staged = 0;
const rename = fs.renameSync;

fs.renameSync = function failingRename(from: fs.PathLike, to: fs.PathLike): void {
  if (String(from).endsWith('.tmp') && ++staged === failAt) {
    throw Object.assign(new Error(`EACCES: permission denied, rename '${String(from)}' -> '${String(to)}'`), {
      code: 'EACCES',
      errno: -13,
      syscall: 'rename',
      path: String(from),
    });
  }
  rename(from, to);
};
