import fs = require('node:fs');
import path = require('node:path');
import { noteRead } from '../discovery/read-log';
import { decodeText } from '../discovery/read-files';
import { isInside } from '../discovery/safe-names';
import { projectError } from '../errors';
import { parseTemplate, type CfnTemplate } from './parse-template';
import { warning, type Warning } from '../results';
import { compareText } from '../text-order';

export interface TemplateFile {
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly template: CfnTemplate;
  /** Something about the file the user should know (it is not strict JSON). */
  readonly warning?: Warning;
}

/** Folders that never hold a deployable template (function code, dependencies, resolvers). */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'src',
  'resolvers',
  'pipelineFunctions',
  'dist',
  'lib',
  '.temp',
]);
const TEMPLATE_FILE = /\.(json|ya?ml|template)$/i;
/** Files the CLI writes next to templates that are never templates themselves. */
const NOT_TEMPLATES = new Set([
  'parameters.json',
  'cli-inputs.json',
  'function-parameters.json',
  'custom-policies.json',
  'transform.conf.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'amplify.state',
  'layer-configuration.json',
  'override.json',
]);
/**
 * Larger files are data, not templates: CloudFormation takes templates of at most 1 MB, and the
 * CLI's biggest generated ones are a few MB before it splits them. Such a file is skipped with
 * a warning.
 */
const MAX_TEMPLATE_BYTES = 20 * 1024 * 1024;

/**
 * The CloudFormation templates of one resource folder. When the folder has a `build/`
 * output (api, auth, storage, custom CDK, root stack), only the built templates count:
 * they are what `amplify push` deploys. Otherwise every template in the folder counts.
 * Files skipped on the way (too large, binary, unparsable, links out of the project) are
 * reported in `warnings`.
 */
export function readResourceTemplates(
  resourceDir: string,
  rootDir: string,
  warnings: Warning[] = [],
): TemplateFile[] {
  const walk = startWalk(rootDir, warnings);
  if (!isDirectory(resourceDir) || !insideProject(resourceDir, walk)) return [];
  walk.linkedDirs.add(realPath(resourceDir) ?? resourceDir);
  const built = readTemplatesUnder(path.join(resourceDir, 'build'), walk);
  return built.length > 0 ? built : readTemplatesUnder(resourceDir, walk, new Set(['build']));
}

/** Templates directly in a category folder (`api/APIGatewayAuthStack.json`), not in resource folders. */
export function readCategoryLevelTemplates(
  categoryDir: string,
  rootDir: string,
  warnings: Warning[] = [],
): TemplateFile[] {
  const walk = startWalk(rootDir, warnings);
  if (!isDirectory(categoryDir) || !insideProject(categoryDir, walk)) return [];
  noteRead('dir', categoryDir);
  return entriesOf(categoryDir, walk)
    .filter((entry) => entry.kind === 'file')
    .flatMap((entry) => readTemplateFile(entry.path, walk));
}

/**
 * One named template file (a CDK assembly's stack or nested template, a --template file), read
 * with the same limits and checks as the folder walks; undefined when it declares no Resources.
 */
export function readTemplateAt(
  file: string,
  rootDir: string,
  warnings: Warning[] = [],
): TemplateFile | undefined {
  return readTemplateFile(file, startWalk(rootDir, warnings))[0];
}

/** One walk of template folders: the project root (as given and resolved) and where skipped files are reported. */
interface Walk {
  readonly rootDir: string;
  readonly realRoot: string;
  readonly warnings: Warning[];
  /** Real paths of the folders entered through a link (and the start): a link loop is entered once. */
  readonly linkedDirs: Set<string>;
}

const startWalk = (rootDir: string, warnings: Warning[]): Walk => ({
  rootDir,
  realRoot: realPath(rootDir) ?? rootDir,
  warnings,
  linkedDirs: new Set(),
});

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly kind: 'file' | 'dir';
}

/**
 * The files and folders of `dir`, sorted by name. Symbolic links are followed only when they
 * lead to a place inside the project; others are reported and skipped.
 */
function entriesOf(dir: string, walk: Walk): Entry[] {
  const entries: Entry[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => compareText(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) entries.push({ name: entry.name, path: full, kind: 'dir' });
    else if (entry.isFile()) entries.push({ name: entry.name, path: full, kind: 'file' });
    else if (entry.isSymbolicLink() && insideProject(full, walk)) {
      const stats = statOrUndefined(full);
      const real = realPath(full) ?? full;
      if (stats?.isDirectory() && !walk.linkedDirs.has(real)) {
        walk.linkedDirs.add(real);
        entries.push({ name: entry.name, path: full, kind: 'dir' });
      } else if (stats?.isFile()) entries.push({ name: entry.name, path: full, kind: 'file' });
    }
  }
  return entries;
}

function readTemplatesUnder(dir: string, walk: Walk, skip: Set<string> = new Set()): TemplateFile[] {
  if (!isDirectory(dir)) return [];
  noteRead('dir', dir);
  const found: TemplateFile[] = [];
  for (const entry of entriesOf(dir, walk)) {
    if (entry.kind === 'dir') {
      if (!SKIPPED_DIRS.has(entry.name) && !skip.has(entry.name) && !entry.name.startsWith('.')) {
        found.push(...readTemplatesUnder(entry.path, walk));
      }
    } else {
      found.push(...readTemplateFile(entry.path, walk));
    }
  }
  return found;
}

function readTemplateFile(file: string, walk: Walk): TemplateFile[] {
  const name = path.basename(file);
  if (!TEMPLATE_FILE.test(name) || NOT_TEMPLATES.has(name)) return [];
  noteRead('file', file);
  const relative = path.relative(walk.rootDir, file).split(path.sep).join('/');
  const size = fs.statSync(file).size;
  if (size > MAX_TEMPLATE_BYTES) {
    walk.warnings.push(
      warning(
        'input-skipped',
        `${relative} skipped: ${(size / 1024 / 1024).toFixed(0)} MB is far above CloudFormation's 1 MB template limit, so it is data, not a template amplify push deploys.`,
      ),
    );
    return [];
  }
  let text: string;
  try {
    text = decodeText(fs.readFileSync(file));
  } catch (err) {
    throw projectError(
      `Cannot read ${relative}: ${(err as Error).message}`,
      'Check the file permissions, then generate again.',
      err,
    );
  }
  if (text.includes('\u0000')) {
    walk.warnings.push(
      warning('input-skipped', `${relative} skipped: it holds binary data, not a JSON or YAML template.`),
    );
    return [];
  }
  let parsed;
  try {
    parsed = parseTemplate(text, name);
  } catch (err) {
    const reason = firstLine(err);
    // A file that looks like a template is worth stopping for; other unreadable files are reported.
    if (!/["']?Resources["']?\s*:/.test(text)) {
      walk.warnings.push(
        warning(
          'input-skipped',
          `${relative} skipped: not valid JSON or YAML (${reason}), and it declares no Resources.`,
        ),
      );
      return [];
    }
    throw projectError(
      `Cannot parse ${relative}: ${reason}`,
      'Fix the template (or rebuild it with `amplify build`), then generate again.',
      err,
    );
  }
  if (!parsed) return [];
  const lenient = parsed.notStrictJson
    ? warning(
        'template-lenient',
        `${relative} is not valid JSON (${parsed.notStrictJson.split('\n')[0]}); read leniently.`,
      )
    : undefined;
  return [{ file: relative, template: parsed.template, ...(lenient ? { warning: lenient } : {}) }];
}

/** True when `file` resolves (links followed) to a place inside the project; reports it otherwise. */
function insideProject(file: string, walk: Walk): boolean {
  const real = realPath(file);
  if (real !== undefined && isInside(walk.realRoot, real)) return true;
  walk.warnings.push(
    warning(
      'input-skipped',
      `${path.relative(walk.rootDir, file).split(path.sep).join('/')} skipped: it is a symbolic link ${real === undefined ? 'that leads nowhere' : 'to a place outside the project'}, and only the project's own files are read.`,
    ),
  );
  return false;
}

function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

const firstLine = (err: unknown): string => String((err as Error)?.message ?? err).split('\n')[0];

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function isDirectory(dir: string): boolean {
  noteRead('exists', dir);
  return statOrUndefined(dir)?.isDirectory() ?? false;
}
