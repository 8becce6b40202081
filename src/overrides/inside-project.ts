/**
 * Is an ARN pattern inside the project? Its partition, account and region are the project's
 * (or empty where the ARN format has none), and its resource part names something of the
 * project: the root stack, the deployment bucket, the app id, or a resource name from the
 * project's templates. `*` and names tied to nothing of the project are outside.
 * Pure; learn refuses a grant outside unless --allow-outside, generate warns about hand-written ones.
 */
import type { Inventory, ProjectContext } from '../model';
import { partitionOf } from '../discovery/deployment-names';

export interface ProjectEnvelope {
  readonly partition: string;
  readonly accountId?: string;
  readonly region?: string;
  /** Literal strings only this project's resources contain (stack, bucket, app id). */
  readonly tokens: readonly string[];
  /** Name patterns of the project's resources (from its templates), IAM `*` wildcards. */
  readonly names: readonly string[];
}

/** Name patterns shorter than this many literal characters tie nothing to the project (`*-dev`). */
const MIN_LITERAL = 6;

export function projectEnvelope(context: ProjectContext, inventory: Inventory): ProjectEnvelope {
  const tokens = [context.rootStackName, context.deploymentBucket, context.appId].filter(
    (token): token is string => !!token && token.length >= MIN_LITERAL,
  );
  const names = new Set<string>();
  for (const resource of inventory.resources)
    for (const cfn of resource.cfnResources)
      for (const name of cfn.names) if (name.replace(/\*/g, '').length >= MIN_LITERAL) names.add(name);
  return {
    partition: partitionOf(context.region),
    accountId: context.accountId,
    region: context.region,
    tokens,
    names: [...names].sort(),
  };
}

export interface PlaceCheck {
  readonly inside: boolean;
  /** Why it is outside. */
  readonly reason?: string;
}

export function insideProject(arn: string, envelope: ProjectEnvelope): PlaceCheck {
  if (arn === '*') return outside('it is every resource ("*")');
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return outside('it is not an ARN');
  const [, partition, , region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (partition !== envelope.partition)
    return outside(`partition ${partition} is not the project's (${envelope.partition})`);
  if (account.includes('*') || account.includes('?')) return outside('its account is a wildcard');
  if (account !== '' && envelope.accountId && account !== envelope.accountId)
    return outside(`account ${account} is not the project's (${envelope.accountId})`);
  if (account !== '' && !envelope.accountId)
    return outside("the project's account is unknown (deploy the env once)");
  if (region.includes('*') || region.includes('?')) return outside('its region is a wildcard');
  if (region !== '' && envelope.region && region !== envelope.region)
    return outside(`region ${region} is not the project's (${envelope.region})`);
  if (envelope.tokens.some((token) => resource.includes(token))) return { inside: true };
  const segments = resource.split(/[/:]/);
  if (
    envelope.names.some(
      (name) => segments.some((segment) => matchesName(name, segment)) || matchesName(name, resource),
    )
  )
    return { inside: true };
  return outside(
    `${resource} names nothing of the project (its stacks ${envelope.tokens.join(', ') || '(unknown)'}, or a resource name from its templates)`,
  );
}

/** The segment is the name, or a pattern no wider than it (a `*` in the segment must be a `*` of the name). */
function matchesName(name: string, segment: string): boolean {
  if (!segment.replace(/\*/g, '')) return false;
  const glob = (pattern: string): RegExp =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
  // Compare as patterns: every string the segment allows must be allowed by the name.
  return glob(name).test(segment.replace(/\*/g, '\u0000'));
}

const outside = (reason: string): PlaceCheck => ({ inside: false, reason });
