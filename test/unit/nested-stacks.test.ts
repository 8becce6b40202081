import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainedNames, type TemplateScope } from '../../src/inventory/cfn-resources';
import { readProjectContext } from '../../src/discovery/project-context';
import { buildInventory } from '../../src/inventory/build-inventory';
import { resolveExplained, resolvePatterns } from '../../src/inventory/intrinsics';
import {
  attributeResolver,
  nestedStacks,
  scopeNestedTemplates,
  templateFileFor,
  type TemplateAt,
} from '../../src/inventory/nested-stacks';
import type { CfnTemplate } from '../../src/inventory/parse-template';
import { generatePolicies } from '../../src/engine';
import { loadCatalog } from '../../src/catalog/catalog';
import { copyToTemp, exampleProjects } from '../support/paths';
import { needs } from '../support/grants';

const names = loadCatalog().resourceNames;
const API_ID = 'abcdefghijklmnopqrstuvwxyz';

/** The shape the AppSync transformer writes: a root template that passes env and the API id to stacks/Post.json. */
const parent: CfnTemplate = {
  Parameters: { env: { Type: 'String' }, S3DeploymentBucket: { Type: 'String' } },
  Resources: {
    GraphQLAPI: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'api' } },
    Comment: {
      Type: 'AWS::CloudFormation::Stack',
      Properties: { TemplateURL: 'https://s3.amazonaws.com/b/stacks/Comment.json' },
    },
    Post: {
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        Parameters: {
          envRef: { Ref: 'env' },
          apiId: { 'Fn::GetAtt': ['GraphQLAPI', 'ApiId'] },
          fromChild: { 'Fn::GetAtt': ['Comment', 'Outputs.TableName'] },
        },
        TemplateURL: {
          'Fn::Join': [
            '/',
            ['https://s3.amazonaws.com', { Ref: 'S3DeploymentBucket' }, 'stacks', 'Post.json'],
          ],
        },
      },
    },
  },
};
const comment: CfnTemplate = { Resources: {} };
const child: CfnTemplate = {
  Parameters: { envRef: { Type: 'String' }, apiId: { Type: 'String' } },
  Resources: {
    PostTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { TableName: { 'Fn::Join': ['', ['Post-', { Ref: 'apiId' }, '-', { Ref: 'envRef' }]] } },
    },
  },
};

const baseScope = (
  template: CfnTemplate,
  parameters: Record<string, string>,
  deployed?: Record<string, string>,
) =>
  ({
    parameters,
    conditions: {},
    region: 'us-east-1',
    accountId: '123456789012',
    partition: 'aws',
    stackName: 'amplify-lp-dev-12345-apilp-*',
    generatedName: 'amplify-lp-dev-12345-apil*',
    attribute: attributeResolver(template, names, deployed),
  }) satisfies TemplateScope;

function scopeBoth(templates: TemplateAt[], deployed?: Record<string, string>) {
  return scopeNestedTemplates(templates, ({ template }, passed, stackName) => ({
    ...baseScope(
      template,
      { env: 'dev', S3DeploymentBucket: 'amplify-lp-dev-12345-deployment', ...passed },
      deployed,
    ),
    ...(stackName ? { stackName } : {}),
  }));
}

const tableNames = (templates: TemplateAt[], deployed?: Record<string, string>) => {
  const { scoped } = scopeBoth(templates, deployed);
  const post = scoped.find((s) => s.template.file.endsWith('Post.json'))!;
  return explainedNames(
    'AWS::DynamoDB::Table',
    (child.Resources.PostTable as { Properties: Record<string, unknown> }).Properties,
    post.scope,
    names,
    'PostTable',
  );
};

describe('nested stacks: a parent passes its parameters to the templates it deploys', () => {
  const files: TemplateAt[] = [
    { file: 'amplify/backend/api/lp/build/stacks/Post.json', template: child },
    { file: 'amplify/backend/api/lp/build/cloudformation-template.json', template: parent },
    { file: 'amplify/backend/api/lp/build/stacks/Comment.json', template: comment },
  ];

  it('a Ref to the parent parameter reaches the child (env), whatever the file order', () => {
    assert.deepEqual(tableNames(files).names, ['Post-*-dev']);
    assert.deepEqual(tableNames([...files].reverse()).names, ['Post-*-dev']);
  });

  it('a GetAtt of the API id is the id amplify-meta.json records', () => {
    const explained = tableNames(files, { GraphQLAPIIdOutput: API_ID });
    assert.deepEqual(explained.names, [`Post-${API_ID}-dev`]);
    assert.deepEqual(Object.keys(explained.causes), []);
  });

  it('without a recorded id, the id part is * with its cause', () => {
    const { causes } = tableNames(files);
    assert.match(causes['Post-*-dev'], /AWS::AppSync::GraphQLApi: id assigned at creation/);
  });

  it("a nested stack's output stays unknown, with why", () => {
    const { scoped } = scopeBoth(files);
    const parentScope = scoped.find((s) => s.template.template === parent)!.scope;
    const [, stack] = nestedStacks(
      parent,
      files[1].file,
      parentScope,
      files.map((f) => f.file),
    );
    assert.equal(stack.file, files[0].file);
    const [explained] = resolveExplained(
      { Ref: 'fromChild' },
      { ...parentScope, parameters: stack.parameters },
    );
    assert.equal(explained.pattern, '*');
    assert.match(explained.causes[0], /output TableName of nested stack Comment/);
  });

  it('names the child stack <parent stack>-<logical id>-*', () => {
    const { scoped } = scopeBoth(files);
    const post = scoped.find((s) => s.template.file.endsWith('Post.json'))!;
    assert.equal(post.scope.stackName, 'amplify-lp-dev-12345-apilp-*-Post-*');
    assert.deepEqual(resolvePatterns({ Ref: 'AWS::StackName' }, post.scope), [
      'amplify-lp-dev-12345-apilp-*-Post-*',
    ]);
  });

  it('a nested stack whose template file is missing is reported, and the rest still resolves', () => {
    const { scoped, missing } = scopeBoth([files[1]]);
    assert.equal(scoped.length, 1);
    assert.deepEqual(
      missing.map((m) => [m.parent, m.stack.logicalId, m.stack.url]),
      [
        [files[1].file, 'Comment', 'https://s3.amazonaws.com/b/stacks/Comment.json'],
        [files[1].file, 'Post', 'https://s3.amazonaws.com/amplify-lp-dev-12345-deployment/stacks/Post.json'],
      ],
    );
  });

  it('matches TemplateURLs to files by their last segments, never a wildcard', () => {
    const list = ['a/build/stacks/Post.json', 'a/build/Post.json', 'a/build/stacks/Comment.json'];
    assert.equal(
      templateFileFor('https://s3.amazonaws.com/b/k/stacks/Post.json', list),
      'a/build/stacks/Post.json',
    );
    assert.equal(
      templateFileFor('https://s3.amazonaws.com/b/k/stacks/Comment.json', list),
      'a/build/stacks/Comment.json',
    );
    assert.equal(templateFileFor('https://s3.amazonaws.com/b/k/stacks/*', list), undefined);
    assert.equal(templateFileFor('https://s3.amazonaws.com/b/k/other/Post.json', list), undefined);
    assert.equal(templateFileFor('https://s3.amazonaws.com/b/k/stacks/Missing.json', list), undefined);
  });

  it('two stacks that deploy one file with different values leave those values unknown', () => {
    const twice: CfnTemplate = {
      Resources: {
        A: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: 'x/Post.json', Parameters: { envRef: 'dev', apiId: 'one' } },
        },
        B: {
          Type: 'AWS::CloudFormation::Stack',
          Properties: { TemplateURL: 'x/Post.json', Parameters: { envRef: 'dev', apiId: 'two' } },
        },
      },
    };
    const explained = tableNames([{ file: 'p/root.json', template: twice }, files[0]]);
    assert.deepEqual(explained.names, ['Post-*-dev']);
  });
});

describe('nested stacks of the real AppSync API (examples/lpdemo)', function () {
  this.timeout(60_000);
  const lpdemo = exampleProjects().find((dir) => path.basename(dir) === 'lpdemo');

  function withMeta(root: string, apiId: string): void {
    const file = path.join(root, 'amplify', 'backend', 'amplify-meta.json');
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      api: Record<string, { output?: Record<string, unknown> }>;
    };
    for (const api of Object.values(meta.api)) api.output = { ...api.output, GraphQLAPIIdOutput: apiId };
    fs.writeFileSync(file, JSON.stringify(meta));
  }

  it('names the Todo table Todo-<API id>-<env> once the env recorded the API id, with no widening left for it', async function () {
    if (!lpdemo) this.skip();
    const root = copyToTemp(lpdemo);
    try {
      const before = buildInventory(readProjectContext(root), loadCatalog());
      const todo = (inventory: typeof before) =>
        inventory.resources.flatMap((r) => r.cfnResources).find((c) => c.logicalId === 'TodoTable')!;
      assert.deepEqual(todo(before).names, ['Todo-*-dev']);
      assert.match(todo(before).nameCauses?.['Todo-*-dev'] ?? '', /GraphQLApi: id assigned at creation/);

      withMeta(root, API_ID);
      const after = await generatePolicies({ projectDir: root });
      assert.deepEqual(todo(after.inventory).names, [`Todo-${API_ID}-dev`]);
      const tables = new Set(
        needs(after)
          .map((r) => r.resource)
          .filter((r) => r.includes(':table/')),
      );
      assert.ok(
        tables.has(`arn:aws:dynamodb:us-east-1:123456789012:table/Todo-${API_ID}-dev`),
        [...tables].join(),
      );
      assert.ok(![...tables].some((t) => t.includes('Todo-*')), [...tables].join());
      assert.ok(!after.widened.some((w) => w.pattern.includes(':table/')), JSON.stringify(after.widened));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('warns when a nested stack template of the API is missing', async function () {
    if (!lpdemo) this.skip();
    const root = copyToTemp(lpdemo);
    try {
      fs.rmSync(path.join(root, 'amplify', 'backend', 'api', 'lpapi', 'build', 'stacks', 'Todo.json'));
      const result = await generatePolicies({ projectDir: root });
      assert.ok(
        result.warnings.some(({ text: w }) =>
          /api\/lpapi: the nested stack Todo in .* deploys .*Todo\.json, which is not among/.test(w),
        ),
        result.warnings.map((w) => w.text).join('\n'),
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
