import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NamedPolicy } from '../../src/model';
import { policyFilePaths, writePolicyFiles } from '../../src/outputs/policy-files';

const policy = (name: string): NamedPolicy => ({
  name,
  characters: 0,
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }],
  },
});

describe('policy files: all or nothing', () => {
  it('names files after the policies by default and after --out otherwise', () => {
    const policies = [policy('p'), policy('p-2')];
    assert.deepEqual(policyFilePaths(policies, '/r'), [
      '/r/amplify/least-privilege/p.json',
      '/r/amplify/least-privilege/p-2.json',
    ]);
    assert.deepEqual(policyFilePaths(policies, '/r', '/o/x.json'), ['/o/x.json', '/o/x-2.json']);
  });

  it('writes nothing when one file cannot be written, and leaves no temporary file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-write-'));
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file where a folder is needed');
    const files = [path.join(dir, 'ok.json'), path.join(dir, 'blocker', 'second.json')];
    await assert.rejects(writePolicyFiles([policy('a'), policy('b')], files));
    assert.deepEqual(fs.readdirSync(dir), ['blocker']);
  });

  it('writes two-space JSON with a trailing newline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alp-write-'));
    await writePolicyFiles([policy('a')], [path.join(dir, 'a.json')]);
    const text = fs.readFileSync(path.join(dir, 'a.json'), 'utf8');
    assert.ok(text.endsWith('}\n') && text.includes('\n  "Statement": ['));
    assert.deepEqual(JSON.parse(text).Statement[0].Action, 's3:GetObject');
  });
});
