import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { helpText } from '../../commands/help';
import { ALL_PHASES } from '../../src/model';
import { PHASE_COMMANDS } from '../../src/requirements/phases';
import { REPO_ROOT } from '../support/paths';

describe('phases: the commands each one lets through', () => {
  it('the README table lists exactly the commands of each phase', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^ {2}\| `(\w+)` \| (.+) \|$/gm)].map((m) => [
        m[1],
        [...m[2].matchAll(/`([^`]+)`/g)].map((c) => c[1]),
      ]),
    );
    for (const phase of ALL_PHASES) {
      const listed = PHASE_COMMANDS[phase].map((c) => c.replace(/ \(.*\)$/, ''));
      assert.deepEqual(rows.get(phase), listed, phase);
    }
  });

  it('help prints every phase with its commands', () => {
    const text = helpText([], 'amplify-least-privilege');
    for (const phase of ALL_PHASES)
      assert.match(text, new RegExp(`^  ${phase} +${PHASE_COMMANDS[phase][0].replace(/[<>()]/g, '.')}`, 'm'));
  });
});
