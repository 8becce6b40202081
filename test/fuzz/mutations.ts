/**
 * Mutations of a copied Amplify project for the robustness properties (test/fuzz): each is
 * plain data (fast-check prints and shrinks it) applied to the copy by `applyMutation`.
 * The layout of one case, all in a fresh temporary folder:
 *
 *   <case>/outer/inner/project     the copied project (the bin's --project-dir)
 *   <case>/outer/sibling/          a folder beside it, with a template naming PWNED
 *   <case>/outside.json            a file further up
 *
 * Nothing outside `project` may change, and no file of `sibling` may be read as a template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

/** Marks resources that live outside the project: they must never show up in the output. */
export const OUTSIDE_MARKER = 'PWNED';

export interface CaseDirs {
  readonly root: string;
  readonly project: string;
  readonly sibling: string;
  readonly outsideFile: string;
}

/** Names an attacker (or a careless edit) can put where a file or folder name is built from them. */
const TRAVERSAL = [
  '../../..',
  '../../../outer/sibling/evil',
  '../../sibling',
  '..',
  '.',
  '',
  'dev/../../x',
  '..\\..\\x',
  '%2e%2e',
  '*',
  'dev*',
  'd?v',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'DEV',
  'x'.repeat(300),
  'dev\u0000',
  'dev\n',
  ' dev',
  '@ABSOLUTE@',
];
export const weirdName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRAVERSAL) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const weirdValue = fc.constantFrom<unknown>(5, null, true, [], {}, ['dev'], { envName: 'dev' });

const INPUT_FILES = [
  'amplify/backend/backend-config.json',
  'amplify/team-provider-info.json',
  'amplify/.config/project-config.json',
  'amplify/.config/local-env-info.json',
  'amplify/backend/amplify-meta.json',
  '@TEMPLATE@',
  '@PARAMETERS@',
  '@STATE@',
  '@POLICY@',
] as const;

const FILE_DAMAGE = [
  'missing',
  'empty',
  'binary',
  'utf16le',
  'utf16be',
  'huge',
  'truncated',
  'deep',
  'prototype-keys',
  'link-out',
  'folder',
] as const;

const STATE_DAMAGE: unknown[] = [
  { version: 1, env: 'dev', inputsHash: 'x', phases: [], hashOptions: [], policies: [null] },
  { version: 1, env: 'dev', inputsHash: 'x', phases: [], hashOptions: [], policies: [5] },
  {
    version: 1,
    env: 'dev',
    inputsHash: 'x',
    phases: [],
    hashOptions: [],
    policies: [{ name: 'x', file: '../../sibling/a.json' }],
  },
  {
    version: 1,
    env: 'dev',
    inputsHash: 'x',
    phases: [],
    hashOptions: [],
    policies: [{ name: 'x', file: '@ABSOLUTE@' }],
  },
  { version: 1, env: 'dev', inputsHash: 'x', phases: [], hashOptions: [null], policies: [{ file: 5 }] },
  { version: 1, inputsHash: 5, policies: 'all' },
  {
    version: 1,
    env: 'dev',
    inputsHash: 'x',
    hashOptions: [],
    policies: [{ name: 'x', file: 'amplify/least-privilege' }],
  },
  [],
  'garbage',
];

const POLICY_DAMAGE: unknown[] = [
  { Version: '2012-10-17', Statement: null },
  { Version: '2012-10-17', Statement: [null] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: null, Resource: '*' }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 5, Resource: '*' }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: [5] }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: null }] },
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: null } }],
  },
  { Version: '2012-10-17', Statement: [{ Effect: 5, Action: '*', Resource: '*' }] },
  { Version: '2012-10-17', Statement: 'x' },
  { Statement: { Effect: 'Allow', Action: ['s3:GetObject', null], Resource: '*' } },
  [],
  null,
  5,
];

const OUTS = [
  'amplify/backend/backend-config.json',
  'amplify/team-provider-info.json',
  'amplify/.config/project-config.json',
  'amplify/.config/local-aws-info.json',
  'amplify/least-privilege/state-dev.json',
  'amplify/least-privilege/config.json',
  'amplify/backend/function/x.json',
  'AMPLIFY/backend/backend-config.json',
  'amplify',
  'amplify/',
  'amplify/backend',
  '.',
  'policies/',
  'policies/least-privilege.json',
  'amplify/least-privilege/custom.json',
  '@LINK@',
  '../sibling/out.json',
];

export type Mutation =
  | { readonly kind: 'env-local'; readonly value: unknown }
  | { readonly kind: 'env-team'; readonly name: string }
  | { readonly kind: 'env-option'; readonly name: string }
  | { readonly kind: 'out-option'; readonly out: string }
  | {
      readonly kind: 'backend-entry';
      readonly category: string;
      readonly name: string;
      readonly settings: unknown;
    }
  | { readonly kind: 'category-value'; readonly category: string; readonly value: unknown }
  | {
      readonly kind: 'file';
      readonly target: (typeof INPUT_FILES)[number];
      readonly damage: (typeof FILE_DAMAGE)[number];
      readonly pick: number;
    }
  | { readonly kind: 'state'; readonly value: unknown }
  | { readonly kind: 'policy'; readonly value: unknown; readonly pick: number }
  | { readonly kind: 'output-link'; readonly what: 'folder' | 'policy' | 'state' }
  | { readonly kind: 'resource-link'; readonly pick: number }
  | { readonly kind: 'template-prototype'; readonly pick: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('env-local' as const), value: fc.oneof(weirdName, weirdValue) }),
  fc.record({ kind: fc.constant('env-team' as const), name: weirdName }),
  fc.record({ kind: fc.constant('env-option' as const), name: weirdName }),
  fc.record({ kind: fc.constant('out-option' as const), out: fc.constantFrom(...OUTS) }),
  fc.record({
    kind: fc.constant('backend-entry' as const),
    category: fc.oneof(fc.constantFrom('function', 'api', 'custom', 'storage'), weirdName),
    name: weirdName,
    settings: fc.constantFrom<unknown>(
      { service: 'Lambda', providerPlugin: 'awscloudformation' },
      { service: 'customCloudformation' },
      null,
      5,
      [],
      'Lambda',
      { service: 5 },
      { service: {} },
      { service: ['Lambda'] },
      { service: '' },
      { service: 'Lambda', serviceType: 'imported' },
    ),
  }),
  fc.record({
    kind: fc.constant('category-value' as const),
    category: fc.oneof(
      fc.constantFrom('function', 'api', 'hosting', 'custom', '__proto__', 'constructor'),
      weirdName,
    ),
    value: fc.constantFrom<unknown>(5, null, 'x', [], true, [{ service: 'Lambda' }]),
  }),
  fc.record({
    kind: fc.constant('file' as const),
    target: fc.constantFrom(...INPUT_FILES),
    damage: fc.constantFrom(...FILE_DAMAGE),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constant('state' as const), value: fc.constantFrom(...STATE_DAMAGE) }),
  fc.record({
    kind: fc.constant('policy' as const),
    value: fc.constantFrom(...POLICY_DAMAGE),
    pick: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('output-link' as const),
    what: fc.constantFrom('folder' as const, 'policy' as const, 'state' as const),
  }),
  fc.record({ kind: fc.constant('resource-link' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('template-prototype' as const), pick: fc.nat() }),
);

/** Lays out one case: the project copy, a sibling folder with a template naming PWNED, a file further up. */
export function makeCase(root: string, pristine: string): CaseDirs {
  const project = path.join(root, 'outer', 'inner', 'project');
  const sibling = path.join(root, 'outer', 'sibling');
  fs.mkdirSync(path.dirname(project), { recursive: true });
  fs.cpSync(pristine, project, { recursive: true, verbatimSymlinks: true });
  fs.mkdirSync(sibling, { recursive: true });
  const outsideTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Evil: { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${OUTSIDE_MARKER}-topic` } },
      EvilFn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: `${OUTSIDE_MARKER}-fn` } },
    },
  };
  for (const dir of ['evil', '.']) {
    fs.mkdirSync(path.join(sibling, dir), { recursive: true });
    fs.writeFileSync(
      path.join(sibling, dir, 'evil-cloudformation-template.json'),
      JSON.stringify(outsideTemplate),
    );
  }
  fs.writeFileSync(path.join(sibling, 'a.json'), '{"sibling": true}\n');
  const outsideFile = path.join(root, 'outside.json');
  fs.writeFileSync(outsideFile, '{"outside": true}\n');
  return { root, project, sibling, outsideFile };
}

/** Applies one mutation; returns the extra bin arguments it needs. */
export function applyMutation(m: Mutation, dirs: CaseDirs, env: string): string[] {
  const { project } = dirs;
  const file = (relative: string): string => path.join(project, relative);
  const absolute = (name: string): string => name.replace('@ABSOLUTE@', path.join(dirs.sibling, 'abs'));
  const editJson = (relative: string, edit: (value: Record<string, unknown>) => void): void => {
    let value: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(file(relative), 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) value = parsed;
    } catch {
      // absent or damaged by an earlier mutation: start from an empty object
    }
    edit(value);
    fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
    fs.rmSync(file(relative), { recursive: true, force: true });
    fs.writeFileSync(file(relative), JSON.stringify(value, null, 2));
  };
  switch (m.kind) {
    case 'env-local':
      editJson('amplify/.config/local-env-info.json', (v) => {
        v.envName = typeof m.value === 'string' ? absolute(m.value) : m.value;
      });
      return [];
    case 'env-team':
      editJson('amplify/team-provider-info.json', (v) => {
        const current = Object.hasOwn(v, env) ? v[env] : undefined;
        delete v[env];
        Object.defineProperty(v, absolute(m.name), {
          value: current ?? {},
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      editJson('amplify/.config/local-env-info.json', (v) => {
        v.envName = absolute(m.name);
      });
      return [];
    case 'env-option':
      // A command line cannot carry a NUL byte.
      return ['--env', absolute(m.name).split('\u0000').join('')];
    case 'out-option': {
      if (m.out === '@LINK@') {
        fs.mkdirSync(file('policies'), { recursive: true });
        fs.symlinkSync(path.join(dirs.sibling, 'a.json'), file('policies/link.json'));
        return ['--out', 'policies/link.json'];
      }
      return ['--out', m.out];
    }
    case 'backend-entry':
      editJson('amplify/backend/backend-config.json', (v) => {
        const category = absolute(m.category);
        // Own properties only: v['__proto__'] would be Object.prototype, polluting this process.
        const own = Object.hasOwn(v, category) ? v[category] : undefined;
        const resources =
          own && typeof own === 'object' && !Array.isArray(own) ? (own as Record<string, unknown>) : {};
        Object.defineProperty(resources, absolute(m.name), {
          value: m.settings,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        Object.defineProperty(v, category, {
          value: resources,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return [];
    case 'category-value':
      editJson('amplify/backend/backend-config.json', (v) => {
        Object.defineProperty(v, absolute(m.category), {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return [];
    case 'file': {
      const target = resolveTarget(m.target, project, m.pick);
      if (target) damageFile(target, m.damage, dirs);
      return [];
    }
    case 'state': {
      const state = stateFiles(project)[0] ?? file(`amplify/least-privilege/state-${env}.json`);
      fs.mkdirSync(path.dirname(state), { recursive: true });
      fs.writeFileSync(
        state,
        JSON.stringify(m.value).replace('@ABSOLUTE@', path.join(dirs.sibling, 'a.json')),
      );
      return [];
    }
    case 'policy': {
      const policies = policyFiles(project);
      if (policies.length > 0) fs.writeFileSync(policies[m.pick % policies.length], JSON.stringify(m.value));
      return [];
    }
    case 'output-link': {
      const dir = file('amplify/least-privilege');
      const elsewhere = path.join(dirs.sibling, 'linked-output');
      if (m.what === 'folder') {
        fs.cpSync(dir, elsewhere, { recursive: true });
        fs.rmSync(dir, { recursive: true, force: true });
        fs.symlinkSync(elsewhere, dir);
      } else {
        const target = m.what === 'state' ? stateFiles(project)[0] : policyFiles(project)[0];
        if (target) {
          fs.copyFileSync(target, path.join(dirs.sibling, path.basename(target)));
          fs.rmSync(target);
          fs.symlinkSync(path.join(dirs.sibling, path.basename(target)), target);
        }
      }
      return [];
    }
    case 'resource-link': {
      const folders = resourceFolders(project);
      if (folders.length > 0) {
        const folder = folders[m.pick % folders.length];
        fs.rmSync(folder, { recursive: true, force: true });
        fs.symlinkSync(path.join(dirs.sibling, 'evil'), folder);
      }
      return [];
    }
    case 'template-prototype': {
      const templates = templateFiles(project);
      if (templates.length > 0) {
        const target = templates[m.pick % templates.length];
        fs.writeFileSync(target, prototypeTemplate());
      }
      return [];
    }
  }
}

function resolveTarget(
  target: (typeof INPUT_FILES)[number],
  project: string,
  pick: number,
): string | undefined {
  const pickOne = (files: string[]): string | undefined =>
    files.length ? files[pick % files.length] : undefined;
  switch (target) {
    case '@TEMPLATE@':
      return pickOne(templateFiles(project));
    case '@PARAMETERS@':
      return pickOne(
        walk(path.join(project, 'amplify', 'backend')).filter((f) => path.basename(f) === 'parameters.json'),
      );
    case '@STATE@':
      return pickOne(stateFiles(project));
    case '@POLICY@':
      return pickOne(policyFiles(project));
    default:
      return path.join(project, target);
  }
}

function damageFile(file: string, damage: (typeof FILE_DAMAGE)[number], dirs: CaseDirs): void {
  const original =
    fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file) : Buffer.from('{}');
  fs.rmSync(file, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  switch (damage) {
    case 'missing':
      return;
    case 'empty':
      return fs.writeFileSync(file, '');
    case 'binary':
      return fs.writeFileSync(file, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x80, 0x7b, 0x22, 0x00]));
    case 'utf16le':
      return fs.writeFileSync(
        file,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(original.toString('utf8'), 'utf16le')]),
      );
    case 'utf16be':
      return fs.writeFileSync(
        file,
        Buffer.concat([
          Buffer.from([0xfe, 0xff]),
          Buffer.from(original.toString('utf8'), 'utf16le').swap16(),
        ]),
      );
    case 'huge':
      fs.writeFileSync(file, original);
      // Sparse: 21 MB of zeros after the content, written in no time.
      return fs.truncateSync(file, 21 * 1024 * 1024);
    case 'truncated':
      return fs.writeFileSync(file, original.subarray(0, Math.floor(original.length / 2)));
    case 'deep':
      return fs.writeFileSync(file, `{"Resources": ${'['.repeat(20000)}${']'.repeat(20000)}}`);
    case 'prototype-keys': {
      let value: unknown;
      try {
        value = JSON.parse(original.toString('utf8'));
      } catch {
        value = {};
      }
      const text = JSON.stringify(value);
      const injected =
        '"__proto__":{"polluted":"yes","service":"Lambda"},"constructor":{"prototype":{"x":1}},"toString":5,';
      return fs.writeFileSync(file, text.startsWith('{') ? `{${injected}${text.slice(1)}` : text);
    }
    case 'link-out':
      return fs.symlinkSync(path.join(dirs.sibling, 'a.json'), file);
    case 'folder':
      return fs.mkdirSync(file);
  }
}

/** A template whose logical ids, properties and intrinsic arguments are prototype keys. */
function prototypeTemplate(): string {
  return `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "__proto__": { "Type": "String", "Default": "x" }, "constructor": { "Type": "String" }, "env": { "Type": "String" } },
  "Conditions": { "__proto__": { "Fn::Equals": ["a", "a"] }, "toString": { "Fn::Equals": [{ "Ref": "env" }, "NONE"] } },
  "Resources": {
    "__proto__": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": { "Ref": "constructor" } } },
    "constructor": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::Sub": "\${__proto__}-\${toString}" } } },
    "hasOwnProperty": { "Type": "AWS::Lambda::Function", "Condition": "toString", "Properties": { "FunctionName": { "Fn::If": ["__proto__", "a", "b"] }, "__proto__": { "x": 1 } } },
    "valueOf": { "Type": "AWS::IAM::Role", "Properties": { "RoleName": { "Fn::Join": ["-", [{ "Ref": "__proto__" }, { "Fn::GetAtt": ["constructor", "Arn"] }]] } } }
  }
}
`;
}

export function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else found.push(full);
  }
  return found.sort();
}

const templateFiles = (project: string): string[] =>
  walk(path.join(project, 'amplify', 'backend')).filter((f) =>
    /(template|stack|Stack|Resources)[^/]*\.(json|ya?ml)$/.test(path.basename(f)),
  );

const resourceFolders = (project: string): string[] => {
  const backend = path.join(project, 'amplify', 'backend');
  if (!fs.existsSync(backend)) return [];
  return fs
    .readdirSync(backend, { withFileTypes: true })
    .filter((c) => c.isDirectory())
    .flatMap((c) =>
      fs
        .readdirSync(path.join(backend, c.name), { withFileTypes: true })
        .filter((r) => r.isDirectory())
        .map((r) => path.join(backend, c.name, r.name)),
    )
    .sort();
};

export const stateFiles = (project: string): string[] =>
  walk(path.join(project, 'amplify', 'least-privilege')).filter((f) => /state-[^/]*\.json$/.test(f));

export const policyFiles = (project: string): string[] =>
  walk(path.join(project, 'amplify', 'least-privilege')).filter((f) =>
    /least-privilege(-\d+)?\.json$/.test(f),
  );
