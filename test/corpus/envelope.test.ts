import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { LeastPrivilegeError } from '../../src/errors';
import { deploymentNames } from '../../src/discovery/deployment-names';
import { OUTSIDE_CAUSE, projectEnvelope, widening } from '../../src/policy/envelope';
import { loadCatalog } from '../../src/catalog/catalog';
import { CORPUS_DIR, copyToTemp, corpusProjects, exampleProjects } from '../support/paths';
import { needs } from '../support/grants';

/**
 * The envelope over every real project, and over real projects mutated the ways inputs go
 * wrong (wildcards in values, broken templates, prototype keys): every grant lies inside the
 * project or is reported under `widened` with its cause; bare names of the kinds that matter
 * are never granted; bad values are errors, never patterns.
 */
const projects = [...corpusProjects().map((name) => path.join(CORPUS_DIR ?? '', name)), ...exampleProjects()];

/** Bare-`*` names the stop hook looks for; the first group is never granted at all. */
const NEVER = /:role\/\*$|:function:\*$|^arn:aws[-a-z]*:s3:::\*(\/\*)?$|:table\/\*$|:stack\/\*\/\*$/;
const UNLESS_REPORTED = /:policy\/\*$|:sns:[^:]*:[^:]*:\*$|:sqs:[^:]*:[^:]*:\*$/;

function assertEnvelope(result: GenerateResult, label: string): void {
  const stackPrefix = loadCatalog().resourceNames.generatedNames.stackNamePrefixLength;
  const envelope = projectEnvelope(deploymentNames(result.context), stackPrefix);
  const reported = new Set(result.widened.map((w) => w.pattern));
  for (const w of result.widened) {
    assert.ok(!w.cause.startsWith(OUTSIDE_CAUSE), `${label}: ${w.pattern}: ${w.cause}`);
    assert.ok(w.resources.length > 0, `${label}: ${w.pattern} names who needs it`);
  }
  const causes = new Map<string, string>();
  for (const r of needs(result)) {
    assert.ok(!NEVER.test(r.resource), `${label}: ${r.action} on ${r.resource}`);
    if (UNLESS_REPORTED.test(r.resource)) assert.ok(reported.has(r.resource), `${label}: ${r.resource}`);
    const outside = widening(r.action, r.resource, result.iam, envelope, causes);
    if (outside !== undefined)
      assert.ok(
        reported.has(r.resource),
        `${label}: ${r.action} on ${r.resource} (${outside}) is not reported`,
      );
  }
  const granted = new Set(needs(result).map((r) => r.resource));
  for (const policy of result.policies)
    for (const statement of policy.document.Statement)
      for (const resource of statement.Resource)
        assert.ok(granted.has(resource), `${label}: ${resource} has a reason`);
}

describe('envelope: every grant of every real project lies inside it or is a reported widening', function () {
  this.timeout(120_000);
  for (const dir of projects) {
    it(path.basename(dir), async () => {
      assertEnvelope(await generatePolicies({ projectDir: dir }), path.basename(dir));
    });
  }
});

describe('envelope: ids the project records narrow resources named at creation', () => {
  it('grants the identity pool amplify-meta.json records (AemiliaTeam__amplify-angular-starter), not identitypool/*', async function () {
    const dir = path.join(CORPUS_DIR ?? '', 'AemiliaTeam__amplify-angular-starter');
    if (!CORPUS_DIR || !fs.existsSync(dir)) this.skip();
    const meta = JSON.parse(
      fs.readFileSync(path.join(dir, 'amplify', 'backend', 'amplify-meta.json'), 'utf8'),
    ) as {
      auth: Record<string, { output?: { IdentityPoolId?: string } }>;
    };
    const id = Object.values(meta.auth).find((r) => r.output?.IdentityPoolId)?.output?.IdentityPoolId ?? '';
    const result = await generatePolicies({ projectDir: dir });
    const pools = new Set(
      needs(result)
        .map((r) => r.resource)
        .filter((r) => r.includes(':identitypool/')),
    );
    assert.deepEqual([...pools], [`arn:aws:cognito-identity:us-east-1:123456789012:identitypool/${id}`]);
    assert.ok(!result.widened.some((w) => w.pattern.includes(':identitypool/')));
  });

  it('ignores a recorded id that holds a wildcard (the id stays a reported widening)', async function () {
    const dir = path.join(CORPUS_DIR ?? '', 'AemiliaTeam__amplify-angular-starter');
    if (!CORPUS_DIR || !fs.existsSync(dir)) this.skip();
    await generateMutated(dir, (root) => {
      const file = path.join(root, 'amplify', 'backend', 'amplify-meta.json');
      fs.writeFileSync(
        file,
        fs.readFileSync(file, 'utf8').replace(/"IdentityPoolId": "[^"]*"/, '"IdentityPoolId": "us-east-1:*"'),
      );
    });
  });
});

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const templateFiles = (root: string): string[] =>
  fs
    .readdirSync(path.join(root, 'amplify', 'backend'), { recursive: true })
    .map(String)
    .filter((file) => /\.(json|ya?ml)$/.test(file) && /template|stacks\//.test(file))
    .map((file) => path.join(root, 'amplify', 'backend', file));

type Breakage = 'empty' | 'binary' | 'utf16' | 'truncated' | 'symlink' | 'dangling';

function breakFile(file: string, how: Breakage): void {
  const text = fs.readFileSync(file, 'utf8');
  fs.rmSync(file);
  if (how === 'empty') fs.writeFileSync(file, '');
  if (how === 'binary') fs.writeFileSync(file, Buffer.from([0, 159, 146, 150, 0, 255, 1, 2]));
  if (how === 'utf16')
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  if (how === 'truncated') fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
  if (how === 'symlink') fs.symlinkSync('/dev/null', file);
  if (how === 'dangling') fs.symlinkSync(path.join(path.dirname(file), 'missing.json'), file);
}

/** Runs generate on a mutated copy: a clean error (LeastPrivilegeError) or a result inside the envelope. */
async function generateMutated(
  dir: string,
  mutate: (root: string) => void,
  expectError = false,
): Promise<void> {
  const root = copyToTemp(dir);
  try {
    mutate(root);
    let result: GenerateResult | undefined;
    try {
      result = await generatePolicies({ projectDir: root });
    } catch (err) {
      assert.ok(err instanceof LeastPrivilegeError, `${path.basename(dir)}: ${(err as Error).stack}`);
      return;
    }
    assert.ok(!expectError, `${path.basename(dir)}: a wildcard value gave a policy instead of an error`);
    assertEnvelope(result, path.basename(dir));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('envelope: properties over mutated real projects', function () {
  this.timeout(600_000);
  const project = fc.constantFrom(...(projects.length ? projects : ['']));
  const withTemplates = projects.filter((dir) => templateFiles(dir).length > 0);
  const withProvider = projects.filter((dir) =>
    fs.existsSync(path.join(dir, 'amplify', 'team-provider-info.json')),
  );
  const wildcard = fc.tuple(fc.constantFrom('*', '?', 'dev*', 'd?v', '??-????-?'), fc.boolean());

  it('a wildcard in any recorded value is an error, never a pattern', async function () {
    if (withProvider.length === 0) this.skip();
    const field = fc.constantFrom(
      'Region',
      'StackName',
      'DeploymentBucketName',
      'AmplifyAppId',
      'AuthRoleName',
      'StackId',
      'env',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withProvider),
        field,
        wildcard,
        async (dir, key, [value, prefixed]) => {
          await generateMutated(
            dir,
            (root) => {
              const file = path.join(root, 'amplify', 'team-provider-info.json');
              const team = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
                string,
                { awscloudformation: Record<string, string> }
              >;
              const envs = Object.keys(team);
              if (key === 'env') {
                team[`${prefixed ? envs[0] : ''}${value}`] = team[envs[0]];
                fs.mkdirSync(path.join(root, 'amplify', '.config'), { recursive: true });
                fs.writeFileSync(
                  path.join(root, 'amplify', '.config', 'local-env-info.json'),
                  JSON.stringify({ envName: `${prefixed ? envs[0] : ''}${value}` }),
                );
              } else {
                // The first env is checked out, so its values are the ones read.
                fs.mkdirSync(path.join(root, 'amplify', '.config'), { recursive: true });
                fs.writeFileSync(
                  path.join(root, 'amplify', '.config', 'local-env-info.json'),
                  JSON.stringify({ envName: envs[0] }),
                );
                for (const env of envs) {
                  const block = team[env].awscloudformation;
                  const old = block[key] ?? '';
                  block[key] =
                    key === 'StackId'
                      ? old.replace(/:\d{12}:/, `:${value}:`) ||
                        `arn:aws:cloudformation:us-east-1:${value}:stack/x/y`
                      : `${prefixed ? old : ''}${value}`;
                }
              }
              fs.writeFileSync(file, JSON.stringify(team));
            },
            true,
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('--env with a wildcard is a usage error', async () => {
    for (const env of ['*', 'dev*', 'd?v']) {
      await assert.rejects(
        generatePolicies({ projectDir: projects[0], envName: env }),
        (err) => err instanceof LeastPrivilegeError && err.kind === 'usage',
      );
    }
  });

  it('missing, empty, binary, UTF-16, truncated or symlinked templates: a clean error or a policy inside the envelope', async function () {
    if (withTemplates.length === 0) this.skip();
    const breakage = fc.constantFrom<Breakage>(
      'empty',
      'binary',
      'utf16',
      'truncated',
      'symlink',
      'dangling',
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withTemplates), breakage, fc.nat(), async (dir, how, pick) => {
        await generateMutated(dir, (root) => {
          const files = templateFiles(root);
          breakFile(files[pick % files.length], how);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('prototype keys as resource types, logical ids, Refs, conditions and parameter values never crash', async function () {
    if (withTemplates.length === 0) this.skip();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withTemplates),
        fc.constantFrom(...PROTOTYPE_KEYS),
        fc.nat(),
        async (dir, key, pick) => {
          await generateMutated(dir, (root) => {
            const files = templateFiles(root).filter((file) => file.endsWith('.json'));
            if (files.length === 0) return;
            const file = files[pick % files.length];
            let template: Record<string, unknown>;
            try {
              template = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
            } catch {
              return;
            }
            const resources = (template.Resources ?? {}) as Record<string, unknown>;
            resources[key] = { Type: key, Condition: key, Properties: { Name: { Ref: key } } };
            resources[`${key}Fn`] = {
              Type: 'AWS::Lambda::Function',
              Properties: {
                FunctionName: { 'Fn::Sub': `\${${key}}-\${AWS::StackName}` },
                Role: { 'Fn::GetAtt': [key, 'Arn'] },
              },
            };
            template.Resources = resources;
            fs.writeFileSync(file, JSON.stringify(template));
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('parameters with wildcards or prototype keys: a policy inside the envelope (or its widenings)', async () => {
    await fc.assert(
      fc.asyncProperty(project, fc.constantFrom('*', '?', 'dev*', ...PROTOTYPE_KEYS), async (dir, value) => {
        await generateMutated(dir, (root) => {
          for (const file of fs
            .readdirSync(path.join(root, 'amplify', 'backend'), { recursive: true })
            .map(String)) {
            if (!file.endsWith('parameters.json')) continue;
            const full = path.join(root, 'amplify', 'backend', file);
            try {
              const parameters = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
              for (const key of Object.keys(parameters))
                if (typeof parameters[key] === 'string') parameters[key] = value;
              parameters[value] = value;
              fs.writeFileSync(full, JSON.stringify(parameters));
            } catch {
              // not JSON: left as it is
            }
          }
        });
      }),
      { numRuns: 20 },
    );
  });
});
