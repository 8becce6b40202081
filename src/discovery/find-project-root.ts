import fs = require('node:fs');
import path = require('node:path');

/** Files any one of which marks a folder as the root of an Amplify Gen 1 project. */
const MARKERS = [
  'amplify/.config/project-config.json',
  'amplify/backend/backend-config.json',
  // Projects from 2018 have no backend-config.json yet.
  'amplify/backend/amplify-meta.json',
];

/** Walks up from `startDir` to the first folder holding an Amplify project; undefined when there is none. */
export function findProjectRoot(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    if (MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
