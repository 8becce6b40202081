import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachPermissionsPolicy } from '../../src/attach/bootstrap-policy';
import { REPO_ROOT } from '../support/paths';

describe('the permissions attach needs', () => {
  it('README "Permissions for attach" shows exactly the policy attach prints when IAM denies it', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('#### Permissions for attach'));
    const block = /```json\n([\s\S]*?)\n```/.exec(section);
    assert.ok(block, 'the section has a JSON block');
    assert.deepEqual(JSON.parse(block[1]), attachPermissionsPolicy('ACCOUNT_ID'));
  });
});
