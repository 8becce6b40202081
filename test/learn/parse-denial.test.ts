import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixableByIdentityPolicy, parseDenials } from '../../src/learn/parse-denial';
import { REPO_ROOT } from '../support/paths';

interface Sample {
  readonly id: string;
  readonly url: string;
  readonly text: string;
  readonly expected: ReadonlyArray<Record<string, unknown>>;
}

const SAMPLES: readonly Sample[] = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'test', 'learn', 'denial-samples.json'), 'utf8'),
).samples;

describe('learn: parseDenials on real messages (test/learn/denial-samples.json)', () => {
  it('holds samples of every form, each with its thread', () => {
    assert.ok(SAMPLES.length >= 10);
    for (const sample of SAMPLES)
      assert.match(sample.url, /^https:\/\/github\.com\/[^/]+\/[^/]+\/(issues|pull)\/\d+$/);
    const texts = SAMPLES.map((s) => s.text).join('\n');
    assert.match(texts, /Resource handler returned message/);
    assert.match(texts, /API: \s*s3:\w+ Access Denied/);
    assert.match(texts, /with an explicit deny/);
    assert.match(texts, /because no identity-based policy allows/);
  });

  for (const sample of SAMPLES) {
    it(`reads ${sample.id} (${sample.url})`, () => {
      const denials = parseDenials(sample.text).map(({ excerpt, because, ...rest }) => {
        assert.ok(sample.text.replace(/\s+/g, ' ').includes(excerpt.replace(/\s+/g, ' ')), excerpt);
        void because;
        return rest;
      });
      assert.deepEqual(denials, sample.expected);
    });
  }

  it('tells fixable denials (no identity policy, or unspecified) from explicit denies', () => {
    const kinds = SAMPLES.flatMap((s) => parseDenials(s.text)).map((d) => [
      d.kind,
      fixableByIdentityPolicy(d),
    ]);
    assert.ok(kinds.some(([kind, fixable]) => kind === 'explicit-deny' && fixable === false));
    assert.ok(kinds.some(([kind, fixable]) => kind === 'no-identity-policy' && fixable === true));
  });

  it('reads every denial of a text that has several, each with the resource listed before it', () => {
    const two = SAMPLES.filter((s) => ['cfn-handler-step-functions', 'legacy-api-event-row'].includes(s.id))
      .map((s) => s.text)
      .join('\n\n');
    const denials = parseDenials(two);
    assert.deepEqual(
      denials.map((d) => [d.action, d.failingResource?.logicalId]),
      [
        ['states:CreateStateMachine', 'StateMachine2E01A3A5'],
        ['s3:PutPublicAccessBlock', 'DeploymentBucket'],
      ],
    );
  });

  it('finds nothing in text without a denial', () => {
    assert.deepEqual(parseDenials('Resource is not in the state stackUpdateComplete'), []);
    assert.deepEqual(parseDenials(''), []);
  });
});
