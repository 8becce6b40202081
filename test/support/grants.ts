import type { ConditionBlock, Grant, Phase, Reason } from '../../src/model';

/** One (grant, requirement) pair: what a test asks about "an action on an ARN, and why". */
export interface Need {
  readonly action: string;
  readonly resource: string;
  readonly condition?: ConditionBlock;
  readonly phase: Phase;
  readonly reason: Reason;
}

/**
 * Every grant with each requirement of its origins, flat: N × R entries for N requirements on
 * R resources. The engine never builds this; tests on small projects read it for convenience.
 */
export function needs(result: { readonly grants: readonly Grant[] }): Need[] {
  return result.grants.flatMap(({ action, resource, condition, origins }) =>
    origins.flat().map(({ phase, reason }) => ({ action, resource, condition, phase, reason })),
  );
}
