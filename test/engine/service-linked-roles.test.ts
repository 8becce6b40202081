import * as assert from 'node:assert/strict';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { loadCatalog } from '../../src/catalog/catalog';
import type { ServiceLinkedRole } from '../../src/catalog/schemas';
import * as path from 'node:path';
import { writeCraftedProject } from '../support/crafted-project';
import { REPO_ROOT } from '../support/paths';
import { deniedRequests, VIA_CLOUDFORMATION } from '../support/simulate';
import { needs, type Need } from '../support/grants';

/**
 * One test per entry of data/service-linked-roles.json: in a project whose only resource is
 * one of the entry's type, iam:CreateServiceLinkedRole is granted on exactly the entry's
 * roles, for their service only (iam:AWSServiceName), when the resource sets one of the
 * entry's properties, and not at all when it sets none. The policy is checked in IAM's
 * simulator: the role's creation through CloudFormation is allowed, another service's is not.
 */
const catalog = loadCatalog();
const entries = Object.values(catalog.serviceLinkedRoles).flat();
const CREATE = 'iam:CreateServiceLinkedRole';
const ACCOUNT = '123456789012';
const slrArn = (service: string, roleName: string): string =>
  `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${roleName}`;

function propertiesFor(path: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  return { [head]: rest.length === 0 ? 'x' : propertiesFor(rest.join('.')) };
}

async function generateWith(type: string, properties: Record<string, unknown>): Promise<GenerateResult> {
  const projectDir = writeCraftedProject({ resources: { Crafted: { Type: type, Properties: properties } } });
  return generatePolicies({ projectDir, phases: ['push'] });
}

const createRequirements = (result: GenerateResult): Need[] =>
  needs(result).filter((r) => r.reason.resource === 'custom/crafted' && r.action === CREATE);

/** May the deployer create the role through CloudFormation, for this service? */
async function allowed(result: GenerateResult, resource: string, service: string): Promise<boolean> {
  const denied = await deniedRequests(
    result.policies,
    [
      {
        action: CREATE,
        resource,
        context: { ...VIA_CLOUDFORMATION, 'iam:AWSServiceName': service },
        why: 'test',
      },
    ],
    'eu-west-1',
  );
  return denied.length === 0;
}

const listsCreate = (entry: ServiceLinkedRole): boolean =>
  Object.values(catalog.handlerPermissions[entry.type] ?? {}).some((list) =>
    list.some((action) => action.toLowerCase() === CREATE.toLowerCase()),
  );

describe('service-linked roles: each entry grants its roles, for its service, exactly when its property is set', function () {
  this.timeout(120_000);

  for (const entry of entries) {
    const property = entry.whenAny?.[0];
    const roles = entry.roles.map((r) => r.roleName).join(', ');
    it(`${entry.type}: ${roles} ⇔ ${property ?? 'always'}`, async () => {
      assert.ok(listsCreate(entry), `the registry's handlers of ${entry.type} list ${CREATE}`);
      assert.ok(entry.sources.every((s) => s.startsWith('https://docs.aws.amazon.com/')));
      const withProperty = await generateWith(entry.type, property ? propertiesFor(property) : {});
      const granted = createRequirements(withProperty);
      for (const { service, roleName } of entry.roles) {
        const arn = slrArn(service, roleName);
        const requirement = granted.find((r) => r.resource === arn);
        assert.ok(requirement, `${CREATE} on ${arn}`);
        assert.deepEqual(requirement.condition?.StringEquals, { 'iam:AWSServiceName': service });
        assert.match(requirement.reason.detail, /service-linked-roles\.json/);
        assert.ok(await allowed(withProperty, arn, service), `${roleName} may be created via CloudFormation`);
        assert.ok(
          !(await allowed(withProperty, arn, 'lambda.amazonaws.com')),
          'not for another service name',
        );
        assert.ok(
          !(await allowed(withProperty, slrArn('lambda.amazonaws.com', 'AWSServiceRoleForLambda'), service)),
          "not another service's role",
        );
      }
      // Nothing else than these roles.
      assert.deepEqual(
        granted
          .map((r) => r.resource)
          .filter((arn) => !entry.roles.some((r) => slrArn(r.service, r.roleName) === arn)),
        [],
      );
      if (property) {
        const otherEntries = (catalog.serviceLinkedRoles[entry.type] ?? []).filter((e) => e !== entry);
        const without = await generateWith(entry.type, {});
        const grantedWithout = createRequirements(without);
        for (const { service, roleName } of entry.roles) {
          const arn = slrArn(service, roleName);
          const byOther = otherEntries.some((e) =>
            e.roles.some((r) => slrArn(r.service, r.roleName) === arn),
          );
          if (!byOther)
            assert.ok(!grantedWithout.some((r) => r.resource === arn), `no ${arn} without ${property}`);
        }
        if (otherEntries.every((e) => e.whenAny)) {
          assert.equal(grantedWithout.length, 0, `no ${CREATE} without a property`);
          assert.ok(
            without.trimmed.some((t) => t.action === CREATE && t.resourceType === entry.type),
            'listed under trimmed with the reason',
          );
        }
      }
    });
  }

  it('a type not in the data keeps the action, on service-linked role ARNs only and without a service condition', async () => {
    const type = 'AWS::AutoScaling::AutoScalingGroup';
    assert.equal(catalog.serviceLinkedRoles[type], undefined);
    const result = await generateWith(type, { MinSize: '1', MaxSize: '1' });
    const granted = createRequirements(result);
    assert.deepEqual(
      granted.map((r) => r.resource),
      [`arn:aws:iam::${ACCOUNT}:role/aws-service-role/*`],
    );
    assert.equal(granted[0].condition?.StringEquals, undefined);
    assert.ok(
      !(await allowed(
        result,
        `arn:aws:iam::${ACCOUNT}:role/amplify-lp-dev-12345-authRole`,
        'x.amazonaws.com',
      )),
      'never on an ordinary role',
    );
  });

  it('examples/lpfull (a search domain without VPC, a user pool with Cognito email) creates no service-linked role', async () => {
    const result = await generatePolicies({ projectDir: path.join(REPO_ROOT, 'examples', 'lpfull') });
    assert.ok(
      result.inventory.resources.some((r) =>
        r.cfnResources.some((c) => c.type === 'AWS::Elasticsearch::Domain'),
      ),
    );
    assert.deepEqual(
      needs(result).filter((r) => r.action === CREATE),
      [],
    );
  });
});
