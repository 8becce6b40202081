import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';

/** scripts/check-layers.js (run by `npm run lint`): plain CommonJS, loaded from the checkout. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a script of the repository, not a module of the package
const layers = require(path.join(REPO_ROOT, 'scripts', 'check-layers.js')) as {
  LAYERS: ReadonlyArray<readonly string[]>;
  layerProblems(graph: Map<string, string[]>, layers?: ReadonlyArray<readonly string[]>): string[];
  importsOf(file: string, text: string, exists: (file: string) => boolean): string[];
  importGraph(root: string): Map<string, string[]>;
};

const LAYERS = [
  ['src/model.ts'],
  ['src/inventory'],
  ['src/policy'],
  ['src/guard', 'src/attach'],
  ['commands'],
];
const graph = (edges: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(edges));

describe('layers: the folders follow the data flow (scripts/check-layers.js)', () => {
  const table: ReadonlyArray<{ name: string; edges: Record<string, string[]>; problems: RegExp[] }> = [
    {
      name: 'forward imports and imports within a folder',
      edges: {
        'src/policy/a.ts': ['src/inventory/b.ts', 'src/model.ts', 'src/policy/c.ts'],
        'src/policy/c.ts': [],
        'commands/x.ts': ['src/guard/g.ts', 'src/attach/h.ts'],
      },
      problems: [],
    },
    {
      name: 'an import of a later layer',
      edges: { 'src/inventory/features.ts': ['src/guard/guard-files.ts'] },
      problems: [
        /^back-edge: src\/inventory\/features\.ts \(src\/inventory\) imports src\/guard\/guard-files\.ts \(src\/guard, a later layer\)$/,
      ],
    },
    {
      name: 'an import between two units of one layer',
      edges: { 'src/attach/a.ts': ['src/guard/g.ts'] },
      problems: [/^back-edge: .*src\/guard, the same layer\)$/],
    },
    {
      name: 'a cycle inside a folder',
      edges: { 'src/policy/a.ts': ['src/policy/b.ts'], 'src/policy/b.ts': ['src/policy/a.ts'] },
      problems: [/^cycle: src\/policy\/a\.ts → src\/policy\/b\.ts → src\/policy\/a\.ts$/],
    },
    {
      name: 'a module in no layer',
      edges: { 'src/elsewhere/x.ts': [] },
      problems: [/^src\/elsewhere\/x\.ts: in no layer/],
    },
  ];
  for (const { name, edges, problems } of table)
    it(name, () => {
      const found = layers.layerProblems(graph(edges), LAYERS);
      assert.equal(found.length, problems.length, found.join('\n'));
      problems.forEach((pattern, i) => assert.match(found[i], pattern));
    });

  it('reads import, export-from, import() and require() of relative paths, type-only ones too', () => {
    const text = [
      "import type { A } from '../model';",
      "export { b } from './b';",
      "const c = require('./c') as typeof import('./c');",
      "import * as fs from 'node:fs';",
    ].join('\n');
    const known = new Set(['src/model.ts', 'src/policy/b.ts', 'src/policy/c.ts']);
    assert.deepEqual(layers.importsOf('src/policy/a.ts', text, (f) => known.has(f)).sort(), [
      'src/model.ts',
      'src/policy/b.ts',
      'src/policy/c.ts',
      'src/policy/c.ts',
    ]);
  });

  it('src/ and commands/ have no back-edge and no cycle', () => {
    const tree = layers.importGraph(REPO_ROOT);
    assert.ok(tree.size > 90, `${tree.size} modules`);
    assert.deepEqual(layers.layerProblems(tree), []);
  });
});
