/**
 * Reads AWS access denials out of whatever the user pastes: the Amplify CLI's error text (an SDK
 * call's AccessDenied), CloudFormation's resource handler messages, the older
 * "API: s3:CreateBucket Access Denied" form, and the CLI's list of failed resources around them.
 * Pure: text in, plain records out. test/learn/denial-samples.json holds real messages.
 */

/**
 * Why IAM said no. Only `no-identity-policy` and `unspecified` (older messages do not say) can be
 * fixed by adding to the deployer's identity policy; the others need another fix.
 */
export type DenialKind =
  | 'no-identity-policy'
  | 'unspecified'
  | 'explicit-deny'
  | 'permissions-boundary'
  | 'session-policy'
  | 'resource-policy'
  | 'service-control-policy';

/** The resource CloudFormation was working on when the call was denied (from the CLI's failure list or a stack event). */
export interface FailingResource {
  readonly logicalId: string;
  readonly type?: string;
  /** The stack the resource belongs to (stack events, or a CloudFormation console URL in the message). */
  readonly stack?: string;
}

export interface Denial {
  /** `service:Action` as the message spells it (the service lower-cased). */
  readonly action: string;
  /** The resource ARN the message names; undefined in the older `API: x Access Denied` form. */
  readonly resource?: string;
  /** The principal that was denied. */
  readonly caller?: string;
  readonly kind: DenialKind;
  /** The words after the resource that say why (`with an explicit deny in a service control policy`). */
  readonly because?: string;
  readonly failingResource?: FailingResource;
  /** The part of the text the denial was read from. */
  readonly excerpt: string;
}

/** `User: P is not authorized to perform: A [on resource: R] [because ... | with an explicit deny ...]`. */
const NOT_AUTHORIZED =
  /User:\s*"?([^\s"]+?)"?\s+is not authorized to perform:\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)(?:\s+on resource:\s*"?([^\s"]+))?((?:\s+because no [a-z-]+(?: [a-z-]+)* allows(?: the [A-Za-z0-9:*-]+ action)?)|(?:\s+with an explicit deny(?: in an? [a-z-]+(?: [a-z-]+)*? policy)?))?/g;

/** `API: s3:CreateBucket Access Denied`, and handler messages such as `Lambda:GetLayerVersionPolicy access denied`. */
const API_ACCESS_DENIED = /(?:API:\s*)?\b([A-Za-z][A-Za-z0-9-]*):([A-Z][A-Za-z0-9]+)\s+Access Denied\b/gi;

/**
 * `Resource Name: X (T)` (the CLI's failure list), `Name: X (T), Event Type:` (its serialized
 * form), `CREATE_FAILED: X (T)`. Reporters' masks (`***`) are kept as written.
 */
const RESOURCE_NAME =
  /(?:^|\n|\s)(?:Resource Name|Name|(?:CREATE|UPDATE|DELETE)_FAILED):\s*([A-Za-z0-9_.*-]+)\s+\(((?:AWS|Custom|Alexa)::[A-Za-z0-9:]+)\)/g;
/** A row of the CLI's event table: `CREATE_FAILED  LogicalId  AWS::Type  date  reason`. */
const EVENT_ROW =
  /(?:^|\n)\s*(?:CREATE|UPDATE|DELETE)_FAILED\s+([A-Za-z0-9_.-]+)\s+((?:AWS|Custom|Alexa)::[A-Za-z0-9:]+)/g;
/** The CloudFormation console link the CLI prints after a failure names the stack. */
const STACK_IN_URL =
  /stacks\/(?:stackinfo\?[^\s]*?stackId=)?arn(?:%3A|:)aws[-a-z]*(?:%3A|:)cloudformation(?:%3A|:)[a-z0-9-]+(?:%3A|:)\d*(?:%3A|:)stack(?:%2F|\/)([A-Za-z0-9-]+)/i;

export function parseDenials(text: string): Denial[] {
  const denials: Array<Denial & { index: number }> = [];
  const covered: Array<[number, number]> = [];
  for (const match of text.matchAll(NOT_AUTHORIZED)) {
    const [whole, caller, action, resource, because] = match;
    const index = match.index ?? 0;
    covered.push([index, index + whole.length]);
    const reason = because?.trim();
    denials.push({
      index,
      action: normalizeAction(action),
      resource: resource ? trimArn(resource) : undefined,
      caller: trimArn(caller),
      kind: kindOf(reason),
      ...(reason ? { because: reason } : {}),
      excerpt: whole.trim(),
    });
  }
  for (const match of text.matchAll(API_ACCESS_DENIED)) {
    const index = match.index ?? 0;
    // The same call named again in a longer message ("API: iam:CreateRole User: ... not authorized").
    if (covered.some(([start, end]) => index >= start && index < end)) continue;
    const action = normalizeAction(`${match[1]}:${match[2]}`);
    if (
      denials.some((d) => d.action.toLowerCase() === action.toLowerCase() && Math.abs(d.index - index) < 400)
    )
      continue;
    denials.push({ index, action, kind: 'unspecified', excerpt: match[0].replace(/\s+/g, ' ').trim() });
  }
  const failing = failingResources(text);
  const stack = STACK_IN_URL.exec(text)?.[1];
  return denials
    .sort((a, b) => a.index - b.index)
    .map(({ index, ...denial }) => {
      const before = failing.filter((f) => f.index <= index).pop();
      return before
        ? {
            ...denial,
            failingResource: {
              logicalId: before.logicalId,
              ...(before.type ? { type: before.type } : {}),
              ...(stack ? { stack } : {}),
            },
          }
        : denial;
    });
}

function failingResources(text: string): Array<{ index: number; logicalId: string; type?: string }> {
  const found = [...text.matchAll(RESOURCE_NAME), ...text.matchAll(EVENT_ROW)].map((match) => ({
    index: match.index ?? 0,
    logicalId: match[1],
    type: match[2],
  }));
  return found.sort((a, b) => a.index - b.index);
}

function kindOf(because: string | undefined): DenialKind {
  if (!because) return 'unspecified';
  if (/explicit deny/.test(because)) return 'explicit-deny';
  if (/no identity-based policy/.test(because)) return 'no-identity-policy';
  if (/no permissions boundary/.test(because)) return 'permissions-boundary';
  if (/no session policy/.test(because)) return 'session-policy';
  if (/no resource-based policy/.test(because)) return 'resource-policy';
  if (/no service control policy/.test(because)) return 'service-control-policy';
  return 'unspecified';
}

/** IAM service prefixes are lower-case; handler messages write `Lambda:GetLayerVersionPolicy`. */
function normalizeAction(action: string): string {
  const [service, name] = action.split(':');
  return `${service.toLowerCase()}:${name}`;
}

/** ARNs end where the message goes on: trailing punctuation and quotes are not part of them. */
const trimArn = (value: string): string => value.replace(/[.,;:"')\]]+$/, '');

/** True when adding the action to the deployer's identity policy can fix the denial. */
export const fixableByIdentityPolicy = (denial: Denial): boolean =>
  denial.kind === 'no-identity-policy' || denial.kind === 'unspecified';

/** What to do instead when an identity-policy grant cannot help. */
export function unfixableAdvice(denial: Denial): string {
  switch (denial.kind) {
    case 'explicit-deny':
      return `An explicit Deny (${denial.because}) wins over any Allow: remove or narrow that Deny (a service control policy, a permissions boundary, a session or identity policy with Effect Deny).`;
    case 'permissions-boundary':
      return "The caller's own permissions boundary does not allow the action: widen the boundary (or use an identity without one).";
    case 'session-policy':
      return 'The session policy of the assumed role does not allow the action: change the policy passed when the session was created (AssumeRole Policy/PolicyArns).';
    case 'resource-policy':
      return "The resource's own policy (bucket, key, or another account's resource) does not allow the caller: change that resource policy.";
    case 'service-control-policy':
      return "The organization's service control policy does not allow the action: ask its administrators.";
    default:
      return '';
  }
}
