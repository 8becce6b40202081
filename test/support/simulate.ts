import { runSimulation, type RunSimulationResults } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy } from '../../src/model';
import { covers } from '../../src/policy/arn-patterns';
import { loadCatalog } from '../../src/catalog/catalog';
import { renderDocument } from '../../src/policy/render';

/** One AWS request a deployment makes, as IAM sees it. */
export interface SimulatedRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** What makes the request (for failure messages). */
  readonly why: string;
  /** Other ARNs of the same request, tried when the simulator cannot place `resource` in a resource type. */
  readonly alternatives?: readonly string[];
}

export const VIA_CLOUDFORMATION = { 'aws:CalledVia': ['cloudformation.amazonaws.com'] };
const PRINCIPAL = 'arn:aws:iam::123456789012:user/deployer';

/**
 * KMS also asks the key policy; a key's default policy lets the account's IAM policies decide
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
const defaultKeyPolicy = (account: string): unknown => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

/**
 * Evaluates requests against the policies with @cloud-copilot/iam-simulate (AGPL: a dev
 * dependency, used only here) and returns the ones that are not allowed, with the reason.
 */
export async function deniedRequests(
  policies: readonly NamedPolicy[],
  requests: readonly SimulatedRequest[],
  region = 'us-east-1',
): Promise<string[]> {
  const identityPolicies = policies.map((p) => ({ name: p.name, policy: renderDocument(p.document) }));
  const denied: string[] = [];
  for (const request of requests) {
    let result: RunSimulationResults | undefined;
    for (const resource of [request.resource, ...(request.alternatives ?? [])]) {
      result = await runSimulation(
        {
          request: {
            principal: PRINCIPAL,
            action: request.action,
            resource: { resource, accountId: accountOf(resource) },
            contextVariables: {
              'aws:RequestedRegion': requestedRegion(request.action, region),
              ...request.context,
            },
          },
          identityPolicies,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          ...(request.action.startsWith('kms:')
            ? { resourcePolicy: defaultKeyPolicy(accountOf(resource)) }
            : {}),
        },
        {},
      );
      if (result.resultType !== 'error') break;
    }
    if (!result) continue;
    if (simulatorCannotJudge(request, result) && grantsTextually(policies, request)) continue;
    if (result.resultType === 'error')
      denied.push(`${request.action} on ${request.resource}: simulation error ${result.errors.message}`);
    else if (result.overallResult !== 'Allowed') {
      denied.push(
        `${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})} (${request.why}): ${result.overallResult}`,
      );
    }
  }
  return denied;
}

/**
 * Requests the simulator cannot judge: ARNs two resource types of an action share (AppSync's
 * `api` and `graphqlapi` are both `apis/<id>`: error multiple.resource.types), formats it does
 * not know for the action (API Gateway's `/apis/.../integrationresponses/...` for PUT: error
 * no.resource.types), and resource parts that begin with a name instead of a type word, where
 * it reads the name as a type (CodePipeline stages `<pipeline>/<stage>`, WAFv2's
 * `<scope>/webacl/<name>/<id>`: productMismatch).
 */
function simulatorCannotJudge(request: SimulatedRequest, result: RunSimulationResults): boolean {
  if (result.resultType === 'error')
    return ['multiple.resource.types', 'no.resource.types'].includes(result.errors.message);
  return (
    ['codepipeline:', 'wafv2:'].some((service) => request.action.startsWith(service)) &&
    JSON.stringify(result).includes('productMismatch')
  );
}

/** The grant checked the plain way: a statement with the action, a covering resource and a condition the context satisfies. */
function grantsTextually(policies: readonly NamedPolicy[], request: SimulatedRequest): boolean {
  const viaCfn = JSON.stringify(request.context ?? {}).includes('cloudformation.amazonaws.com');
  return policies.some((p) =>
    p.document.Statement.some(
      (s) =>
        s.Action.includes(request.action) &&
        s.Resource.some((r) => covers(r, request.resource)) &&
        (!s.Condition || (viaCfn && JSON.stringify(s.Condition).includes('aws:CalledVia'))),
    ),
  );
}

/**
 * Every real request carries aws:RequestedRegion: the project's region, or us-east-1 for the
 * global services (the same list the engine uses, data/global-services.json).
 */
function requestedRegion(action: string, region: string): string {
  return loadCatalog().globalServices.includes(action.split(':')[0]) ? 'us-east-1' : region;
}

const accountOf = (arn: string): string =>
  /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? '123456789012';
