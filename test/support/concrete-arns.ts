import type { GenerateResult } from '../../src/engine';
import { covers, formatPattern, sampleArn } from '../../src/policy/arn-patterns';

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
