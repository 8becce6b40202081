import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InputRead } from '../../src/discovery/read-log';
import { inputsHash, policyFilesHash } from '../../src/outputs/inputs-hash';

/** inputsHash on a small folder: what each kind of read covers, and what it does not. */
describe('passes: inputs hash', () => {
  let root: string;
  const write = (relative: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  };
  const INPUTS: InputRead[] = [
    { kind: 'file', path: 'a.json' },
    { kind: 'json', path: 'meta.json', key: 'providers' },
    { kind: 'exists', path: 'override.ts' },
    { kind: 'dir', path: 'folder' },
  ];
  const hash = (
    inputs: readonly InputRead[] = INPUTS,
    env = 'dev',
    options = ['phases=push'],
    version = '1.0.0',
  ): string => inputsHash(root, env, options, version, inputs);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-hash-'));
    write('a.json', '{"x":1}');
    write('meta.json', JSON.stringify({ providers: { region: 'us-east-1' }, lastPush: '2000-01-01' }));
    write('folder/one.json', '{}');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const changes: ReadonlyArray<[string, () => void, boolean]> = [
    ['a read file changes', () => write('a.json', '{"x":2}'), true],
    ['a read file disappears', () => fs.rmSync(path.join(root, 'a.json')), true],
    [
      'the read key of a JSON file changes',
      () => write('meta.json', JSON.stringify({ providers: { region: 'eu-west-1' } })),
      true,
    ],
    [
      'another key of that JSON file changes',
      () =>
        write('meta.json', JSON.stringify({ providers: { region: 'us-east-1' }, lastPush: '2030-01-01' })),
      false,
    ],
    ['a path looked for appears', () => write('override.ts', ''), true],
    ['a file appears in a listed folder', () => write('folder/two.json', '{}'), true],
    [
      'a listed file changes its content (only the listing was read)',
      () => write('folder/one.json', '{"changed":true}'),
      false,
    ],
    ['a file nobody read appears', () => write('unrelated.txt', 'x'), false],
  ];
  for (const [name, change, changed] of changes)
    it(`${name}: ${changed ? 'another hash' : 'the same hash'}`, () => {
      const before = hash();
      change();
      assert.equal(hash() !== before, changed);
    });

  it('the env, the options and the package version are part of it', () => {
    const base = hash();
    assert.notEqual(hash(INPUTS, 'prod'), base);
    assert.notEqual(hash(INPUTS, 'dev', ['phases=push,delete']), base);
    assert.notEqual(hash(INPUTS, 'dev', ['phases=push'], '1.0.1'), base);
    assert.equal(hash(), base, 'and nothing else: the same call gives the same hash');
  });

  it('an unreadable JSON file hashes as its text, not as an error of the guard', () => {
    write('meta.json', '{ not json');
    const broken = hash();
    write('meta.json', '{ not json either');
    assert.notEqual(hash(), broken);
  });

  it('the policy files hash follows their content and order', () => {
    write('p1.json', '{}');
    write('p2.json', '[]');
    const base = policyFilesHash(root, ['p1.json', 'p2.json']);
    assert.notEqual(policyFilesHash(root, ['p2.json', 'p1.json']), base);
    write('p1.json', '{ }');
    assert.notEqual(policyFilesHash(root, ['p1.json', 'p2.json']), base);
  });
});
