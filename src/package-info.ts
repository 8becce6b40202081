import fs = require('node:fs');
import path = require('node:path');

let version: string | undefined;

/** This package's version (it is part of the guard's input hash: new data, new policy). */
export function packageVersion(): string {
  if (version === undefined) {
    version = '0.0.0';
    for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file) && fs.existsSync(path.join(dir, 'amplify-plugin.json'))) {
        version = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
        break;
      }
    }
  }
  return version;
}
