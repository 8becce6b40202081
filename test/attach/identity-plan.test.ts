import * as assert from 'node:assert/strict';
import { explicitTarget, readCallerArn } from '../../src/attach/identity';
import { lineDiff } from '../../src/attach/describe';
import { documentHash, planChanges, type ExistingPolicy } from '../../src/attach/plan';
import { LeastPrivilegeError } from '../../src/errors';
import type { NamedPolicy } from '../../src/model';
import { renderDocument } from '../../src/policy/render';

const policy = (name: string, action = 's3:GetObject'): NamedPolicy => ({
  name,
  characters: 0,
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [action], Resource: ['*'] }] },
});
const existing = (p: NamedPolicy, extra: Partial<ExistingPolicy> = {}): ExistingPolicy => ({
  name: p.name,
  arn: `arn:aws:iam::1:policy/amplify-least-privilege/${p.name}`,
  document: renderDocument(p.document),
  versions: [{ id: 'v1', isDefault: true, created: '2026-01-01' }],
  attached: true,
  ownerTag: 'p/dev',
  attachmentCount: 1,
  ...extra,
});
const ownership = { tag: 'p/dev', force: false };
const target = { kind: 'user' as const, name: 'dev' };

describe('attach: identity', () => {
  it('reads users (with paths), assumed roles, Identity Center sessions; refuses root', () => {
    assert.deepEqual(
      readCallerArn('arn:aws:iam::123456789012:user/team/dev').kind === 'target' &&
        readCallerArn('arn:aws:iam::123456789012:user/team/dev'),
      {
        kind: 'target',
        target: { kind: 'user', name: 'dev' },
        account: '123456789012',
        partition: 'aws',
      },
    );
    const role = readCallerArn('arn:aws:sts::123456789012:assumed-role/ci-deployer/gh-run-42');
    assert.equal(role.kind === 'target' && `${role.target.kind}:${role.target.name}`, 'role:ci-deployer');
    const sso = readCallerArn(
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AmplifyDevs_0123456789abcdef/alice',
    );
    assert.equal(sso.kind === 'identity-center' && sso.permissionSet, 'AmplifyDevs');
    assert.throws(() => readCallerArn('arn:aws:iam::123456789012:root'), LeastPrivilegeError);
  });

  it('takes at most one of --user, --role, --group', () => {
    assert.deepEqual(explicitTarget({ role: 'ci' }), { kind: 'role', name: 'ci' });
    assert.equal(explicitTarget({}), undefined);
    assert.throws(() => explicitTarget({ user: 'a', role: 'b' }), LeastPrivilegeError);
  });
});

describe('attach: plan', () => {
  const base = 'amplify-p-dev-least-privilege';
  it('plans nothing when every policy is current and attached', () => {
    const plan = planChanges(
      [policy(base)],
      {
        target,
        ours: [existing(policy(base))],
        attachedCount: 1,
        attachedQuota: 10,
      },
      ownership,
    );
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(plan.unchanged, [base]);
  });

  it('orders create, version, attach before detach and delete, and counts attachments at their peak', () => {
    const desired = [policy(base, 'a:B'), policy(`${base}-2`)];
    const ours = [
      existing(policy(base)),
      existing(policy(`${base}-3`), {
        versions: [
          { id: 'v1', isDefault: false, created: '1' },
          { id: 'v2', isDefault: true, created: '2' },
        ],
      }),
    ];
    const plan = planChanges(desired, { target, ours, attachedCount: 4, attachedQuota: 10 }, ownership);
    assert.deepEqual(
      plan.steps.map((s) => `${s.kind} ${s.name}`),
      [
        `new-version ${base}`,
        `create ${base}-2`,
        `attach ${base}-2`,
        `detach ${base}-3`,
        `delete-policy ${base}-3`,
      ],
    );
    const deletion = plan.steps.find((s) => s.kind === 'delete-policy');
    assert.deepEqual(deletion?.kind === 'delete-policy' && deletion.versionIds, ['v1']);
    assert.equal(plan.attachedAtMost, 5);
  });

  it('makes room by deleting the oldest non-default version, never the default', () => {
    const versions = ['2026-03', '2026-01', '2026-05', '2026-02', '2026-04'].map((created, i) => ({
      id: `v${i + 1}`,
      isDefault: i === 1,
      created,
    }));
    const plan = planChanges(
      [policy(base, 'x:Y')],
      {
        target,
        ours: [existing(policy(base), { versions })],
        attachedCount: 1,
        attachedQuota: 10,
      },
      ownership,
    );
    const removal = plan.steps[0];
    assert.equal(
      removal.kind === 'delete-version' && removal.versionId,
      'v4',
      'oldest non-default (v2 is the default)',
    );
    assert.equal(plan.steps[1].kind, 'new-version');
  });

  it('attaches an existing but detached policy without a new version (the repair after a half-finished run)', () => {
    const plan = planChanges(
      [policy(base)],
      {
        target,
        ours: [existing(policy(base), { attached: false })],
        attachedCount: 0,
        attachedQuota: 10,
      },
      ownership,
    );
    assert.deepEqual(
      plan.steps.map((s) => s.kind),
      ['attach'],
    );
  });

  it('a policy without our tag, or changed in IAM since we wrote it, is a conflict: left out unless --force', () => {
    const theirs = existing(policy(base, 'x:Y'), { ownerTag: undefined, attachmentCount: 3 });
    const plan = planChanges(
      [policy(base)],
      { target, ours: [theirs], attachedCount: 1, attachedQuota: 10 },
      ownership,
    );
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(
      plan.conflicts.map((c) => [c.name, c.reason, c.attachedElsewhere, c.takenOver]),
      [[base, 'not-ours', 2, false]],
    );
    const forced = planChanges(
      [policy(base)],
      { target, ours: [theirs], attachedCount: 1, attachedQuota: 10 },
      { ...ownership, force: true },
    );
    assert.deepEqual(
      forced.steps.map((s) => s.kind),
      ['tag', 'new-version'],
    );

    const ours = existing(policy(base, 'x:Y'));
    const written = { [ours.arn]: documentHash(renderDocument(policy(base, 'a:B').document)) };
    const edited = planChanges(
      [policy(base)],
      { target, ours: [ours], attachedCount: 1, attachedQuota: 10 },
      { ...ownership, written },
    );
    assert.deepEqual(
      edited.conflicts.map((c) => c.reason),
      ['changed-in-iam'],
    );
    const asWritten = planChanges(
      [policy(base)],
      { target, ours: [ours], attachedCount: 1, attachedQuota: 10 },
      { ...ownership, written: { [ours.arn]: documentHash(ours.document) } },
    );
    assert.deepEqual(asWritten.conflicts, []);
    assert.deepEqual(
      asWritten.steps.map((s) => s.kind),
      ['new-version'],
    );

    const surplus = existing(policy(`${base}-2`), { ownerTag: 'other/dev' });
    const shrink = planChanges(
      [policy(base)],
      { target, ours: [existing(policy(base)), surplus], attachedCount: 2, attachedQuota: 10 },
      ownership,
    );
    assert.deepEqual(shrink.steps, [], 'a surplus policy that is not ours is neither detached nor deleted');
    assert.equal(shrink.conflicts[0].desired, undefined);
  });

  it("without a target (a CDK execution role's policies): creates and updates, never attaches; keeps a surplus still in use", () => {
    const exec = 'app-cfn-exec-role-least-privilege';
    const unattached = { attached: false, attachmentCount: 0 };
    const plan = planChanges(
      [policy(exec, 's3:PutObject'), policy(`${exec}-2`)],
      {
        ours: [
          existing(policy(exec), unattached),
          existing(policy(`${exec}-3`), { attached: false, attachmentCount: 1 }),
          existing(policy(`${exec}-4`), unattached),
        ],
        attachedCount: 0,
        attachedQuota: 10,
      },
      ownership,
    );
    assert.deepEqual(
      plan.steps.map((s) => `${s.kind} ${s.name}`),
      [`new-version ${exec}`, `create ${exec}-2`, `delete-policy ${exec}-4`],
    );
    assert.equal(plan.target, undefined);
    assert.deepEqual(plan.kept, [{ name: `${exec}-3`, attachments: 1 }], 'the execution role still has it');
    const same = planChanges(
      [policy(exec)],
      { ours: [existing(policy(exec), unattached)], attachedCount: 0, attachedQuota: 10 },
      ownership,
    );
    assert.deepEqual([same.steps, same.unchanged], [[], [exec]], 'unattached and current: nothing to do');
  });

  it('the diff lists the lines each side has alone', () => {
    assert.deepEqual(lineDiff(['a', 'b', 'c'], ['a', 'x', 'c', 'd']), ['- b', '+ x', '+ d']);
  });
});
