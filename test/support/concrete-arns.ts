import type { GenerateResult } from '../../src/engine';
import type { Grant } from '../../src/model';
import { covers, formatPattern, sampleArn } from '../../src/policy/arn-patterns';
import { VIA_CLOUDFORMATION, type SimulatedRequest } from './simulate';

/** Stand-ins for what an environment-agnostic stack leaves open, the same as the test passes to the engine. */
export const TEST_ACCOUNT = '123456789012';

/**
 * A concrete ARN the pattern allows: `*` in the region and account fields become the target's,
 * other wildcards a sample; a pattern wider than one resource type becomes sample ARNs of the
 * action's types it covers.
 */
export function concreteArns(pattern: string, action: string, result: GenerateResult): string[] {
  if (pattern === '*') return ['*'];
  const fields = pattern.split(':');
  if (fields[3] === '*') fields[3] = result.context.region ?? 'us-east-1';
  if (fields[4] === '*') fields[4] = result.context.accountId ?? TEST_ACCOUNT;
  // WAFv2 ARNs start their resource part with the scope, `regional` or `global`.
  const arn = fields
    .join(':')
    .replace(/^(arn:[^:]+:wafv2:[^:]*:[^:]*:)\*\//, '$1regional/')
    .replace(/\*/g, 'x1');
  const formats = result.iam.action(action)?.resourceTypes.flatMap((t) => t.formats) ?? [];
  const covered = formats
    .map((format) => sampleArn(format, fields.join(':')))
    .filter((sample) => covers(pattern, sample));
  return formats.some((format) => formatPattern(format).test(arn))
    ? [arn, ...covered]
    : covered.length > 0
      ? covered
      : [arn];
}

/**
 * Every grant of a result on a concrete ARN, once per action, ARN and condition, with the
 * context its condition asks for: aws:CalledVia through CloudFormation, and one of the values
 * each StringEquals key allows (iam:PassedToService, iam:AWSServiceName). aws:RequestedRegion
 * is the simulation's own (simulate.ts: the target's region).
 */
export function grantRequests(result: GenerateResult, why: (grant: Grant) => string): SimulatedRequest[] {
  const seen = new Set<string>();
  const requests: SimulatedRequest[] = [];
  for (const grant of result.grants) {
    const [resource, ...alternatives] = concreteArns(grant.resource, grant.action, result);
    const condition = JSON.stringify(grant.condition ?? {});
    const key = `${grant.action} ${resource} ${condition}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const context: Record<string, string | string[]> = condition.includes('aws:CalledVia')
      ? { ...VIA_CLOUDFORMATION }
      : {};
    for (const [name, value] of Object.entries(grant.condition?.StringEquals ?? {}))
      if (name !== 'aws:RequestedRegion') context[name] = String([value].flat()[0]);
    requests.push({ action: grant.action, resource, alternatives, context, why: why(grant) });
  }
  return requests;
}
