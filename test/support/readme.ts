import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

/** The README's section under the heading `title` (any level), up to the next heading of that level or higher. */
export function readmeSection(title: string): string {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, '') === title);
  if (start < 0) throw new Error(`README.md has no heading "${title}"`);
  const level = /^#+/.exec(lines[start])?.[0].length ?? 1;
  const end = lines.findIndex(
    (line, index) => index > start && /^#+ /.test(line) && (/^#+/.exec(line)?.[0].length ?? 0) <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The commands of each ```sh block of `text`: comment lines and trailing `# comments` removed. */
export function shellCommands(text: string): string[][] {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((block) =>
    block[1]
      .split('\n')
      .map((line) => line.replace(/(^|\s+)#\s.*$/, '').trim())
      .filter(Boolean),
  );
}
