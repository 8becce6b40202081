import * as fs from 'node:fs';
import * as path from 'node:path';
import { noteRead } from '../discovery/read-log';
import { projectError } from '../errors';
import { parseTemplate, type CfnTemplate } from './parse-template';

export interface TemplateFile {
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly template: CfnTemplate;
  /** Something about the file the user should know (it is not strict JSON). */
  readonly warning?: string;
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
/** Larger files are data, not templates (the CLI's biggest generated templates are a few MB). */
const MAX_TEMPLATE_BYTES = 20 * 1024 * 1024;

/**
 * The CloudFormation templates of one resource folder. When the folder has a `build/`
 * output (api, auth, storage, custom CDK, root stack), only the built templates count:
 * they are what `amplify push` deploys. Otherwise every template in the folder counts.
 */
export function readResourceTemplates(resourceDir: string, rootDir: string): TemplateFile[] {
  if (!isDirectory(resourceDir)) return [];
  const built = readTemplatesUnder(path.join(resourceDir, 'build'), rootDir);
  return built.length > 0 ? built : readTemplatesUnder(resourceDir, rootDir, new Set(['build']));
}

/** Templates directly in a category folder (`api/APIGatewayAuthStack.json`), not in resource folders. */
export function readCategoryLevelTemplates(categoryDir: string, rootDir: string): TemplateFile[] {
  if (!isDirectory(categoryDir)) return [];
  noteRead('dir', categoryDir);
  return fs
    .readdirSync(categoryDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) => readTemplateFile(path.join(categoryDir, entry.name), rootDir));
}

function readTemplatesUnder(dir: string, rootDir: string, skip: Set<string> = new Set()): TemplateFile[] {
  if (!isDirectory(dir)) return [];
  noteRead('dir', dir);
  const found: TemplateFile[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !skip.has(entry.name) && !entry.name.startsWith('.')) {
        found.push(...readTemplatesUnder(full, rootDir));
      }
    } else if (entry.isFile()) {
      found.push(...readTemplateFile(full, rootDir));
    }
  }
  return found;
}

function readTemplateFile(file: string, rootDir: string): TemplateFile[] {
  const name = path.basename(file);
  if (!TEMPLATE_FILE.test(name) || NOT_TEMPLATES.has(name)) return [];
  noteRead('file', file);
  if (fs.statSync(file).size > MAX_TEMPLATE_BYTES) return [];
  const relative = path.relative(rootDir, file).split(path.sep).join('/');
  const text = fs.readFileSync(file, 'utf8');
  let parsed;
  try {
    parsed = parseTemplate(text, name);
  } catch (err) {
    // Only a file that looks like a template is worth stopping for; other unreadable files are not ours.
    if (!/["']?Resources["']?\s*:/.test(text)) return [];
    throw projectError(
      `Cannot parse ${relative}: ${(err as Error).message.split('\n')[0]}`,
      'Fix the template (or rebuild it with `amplify build`), then generate again.',
      err,
    );
  }
  if (!parsed) return [];
  const warning = parsed.notStrictJson
    ? `${relative} is not valid JSON (${parsed.notStrictJson.split('\n')[0]}); read leniently, but CloudFormation will reject it until it is fixed.`
    : undefined;
  return [{ file: relative, template: parsed.template, ...(warning ? { warning } : {}) }];
}

function isDirectory(dir: string): boolean {
  noteRead('exists', dir);
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
