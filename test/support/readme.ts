import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

/**
 * The README's section under the heading `title` (any level), up to the next heading of that
 * level or higher; `#` lines inside code blocks (shell comments) are not headings.
 */
export function readmeSection(title: string): string {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  let inCode = false;
  const levels = lines.map((line) => {
    if (line.startsWith('```')) inCode = !inCode;
    return !inCode && /^#+ /.test(line) ? line.indexOf(' ') : 0;
  });
  const start = lines.findIndex(
    (line, index) => levels[index] > 0 && line.slice(levels[index] + 1) === title,
  );
  if (start < 0) throw new Error(`README.md has no heading "${title}"`);
  const end = levels.findIndex((level, index) => index > start && level > 0 && level <= levels[start]);
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
