#!/usr/bin/env node
// `npm run lint`: the folders follow the data flow. Every module of src/ and commands/ imports
// only modules of its own unit (a folder, or a file of its own) or of an earlier layer; an
// import of a later layer or of another unit of the same layer is a back-edge, and modules that
// import each other in a circle are a cycle. Prints each one and exits 1; prints nothing when
// there is none. Imports are `import ... from`, `export ... from`, `import()` and `require()`
// of relative paths, type-only ones included (a type names the layer it comes from too).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * Bottom to top. A unit is a folder (every module under it) or one file. Units of one layer
 * may not import each other.
 */
const LAYERS = [
  // Data and its types: the plain shapes, errors, the data files' loaders and schemas.
  ['src/results.ts', 'src/text-order.ts', 'src/collections.ts'],
  ['src/model.ts', 'src/errors.ts', 'src/package-info.ts'],
  ['src/catalog'],
  ['src/discovery'],
  ['src/inventory'],
  ['src/requirements'],
  ['src/policy'],
  ['src/overrides'],
  ['src/engine.ts'],
  ['src/cdk-engine.ts'],
  ['src/outputs'],
  ['src/aws'],
  ['src/invocation.ts'],
  ['src/check'],
  ['src/attach', 'src/learn'],
  ['src/guard'],
  ['src/amplify-host.ts'],
  ['commands'],
  ['src/cli.ts', 'src/index.ts'],
];

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The unit (as written in LAYERS) and layer of a module path relative to the root, or undefined. */
function unitOf(file, layers = LAYERS) {
  for (const [layer, units] of layers.entries())
    for (const unit of units) if (file === unit || file.startsWith(`${unit}/`)) return { unit, layer };
  return undefined;
}

/** Relative imports of a TypeScript source, resolved to module paths relative to the root. */
function importsOf(file, text, exists) {
  const found = [];
  for (const [, spec] of text.matchAll(IMPORT)) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const target = [`${base}.ts`, `${base}/index.ts`, base].find(exists);
    if (target) found.push(target);
  }
  return found;
}

/**
 * The problems of an import graph (module → modules it imports): imports of unknown modules,
 * back-edges, and cycles between modules (strongly connected components of more than one).
 */
function layerProblems(graph, layers = LAYERS) {
  const problems = [];
  for (const [from, targets] of graph) {
    const source = unitOf(from, layers);
    if (!source) {
      problems.push(`${from}: in no layer (add its folder to LAYERS in scripts/check-layers.js)`);
      continue;
    }
    for (const to of targets) {
      const target = unitOf(to, layers);
      if (!target) continue; // reported as a source of its own
      if (target.unit === source.unit) continue;
      if (target.layer > source.layer)
        problems.push(`back-edge: ${from} (${source.unit}) imports ${to} (${target.unit}, a later layer)`);
      else if (target.layer === source.layer)
        problems.push(`back-edge: ${from} (${source.unit}) imports ${to} (${target.unit}, the same layer)`);
    }
  }
  for (const cycle of cycles(graph)) problems.push(`cycle: ${cycle.join(' → ')} → ${cycle[0]}`);
  return problems;
}

/** The strongly connected components of more than one module (Tarjan), each in a stable order. */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** The import graph of the TypeScript modules under `folders` of `root`. */
function importGraph(root, folders = ['src', 'commands']) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(relative);
    }
  };
  folders.forEach(walk);
  const known = new Set(files);
  const graph = new Map();
  for (const file of files.sort())
    graph.set(
      file,
      importsOf(file, fs.readFileSync(path.join(root, file), 'utf8'), (candidate) => known.has(candidate)),
    );
  return graph;
}

module.exports = { LAYERS, unitOf, importsOf, layerProblems, cycles, importGraph };

if (require.main === module) {
  const problems = layerProblems(importGraph(path.join(__dirname, '..')));
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
