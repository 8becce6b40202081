/**
 * Every kind of warning and finding a run can report, each with what the user does about it:
 * one table, checked by the compiler (a kind without an entry, or a warning of a kind not in
 * the table, does not build). A warning's text is what happened, then its kind's resolution.
 */

interface KindInfo {
  /** What the kind means, for people reading --json. */
  readonly means: string;
  /** What to do about it: the last sentence of every warning of the kind. */
  readonly resolution: string;
}

export const WARNING_KINDS = {
  'env-guessed': {
    means: 'no env is checked out; the only env of team-provider-info.json is used',
    resolution: 'Check it out (`amplify env checkout NAME`) to make the choice explicit.',
  },
  'env-unknown': {
    means: 'no env is known: env names in ARNs are wildcards',
    resolution: 'Pass --env NAME to narrow them.',
  },
  'not-deployed': {
    means: 'values the env records once deployed (region, account, stack, bucket, app id) are missing',
    resolution: 'Run `amplify pull` (or push once) and generate again for tighter ARNs.',
  },
  'input-skipped': {
    means: 'a file or entry of the project could not be read as what it should be, and is left out',
    resolution: 'Fix it if the push deploys it: the policy grants nothing for what it would declare.',
  },
  'input-defaulted': {
    means: 'an entry of the project is not what the Amplify CLI writes, and is read with a default',
    resolution: 'Fix the entry if the push deploys it: the policy assumes the default.',
  },
  'template-lenient': {
    means: 'a template is not strict JSON: read leniently',
    resolution: 'Fix the file before the push: CloudFormation rejects it as it is.',
  },
  'no-template': {
    means: 'a resource or nested stack has no template to read, so nothing is granted for it',
    resolution: 'Run `amplify build` and generate again.',
  },
  'unknown-type': {
    means:
      'a resource type neither the CloudFormation registry nor the curated data knows: nothing is granted for it',
    resolution:
      'Grant the permissions CloudFormation needs for these types to the deploying identity yourself (an extra policy; ' +
      "see each service's IAM documentation), then push with `amplify least-privilege configure --mode warn`; " +
      'or update amplify-least-privilege if a newer version knows them.',
  },
  'not-granted': {
    means: 'actions that act only on kinds of resource the project names none of are left out',
    resolution: 'If a push needs one, check the templates (unreadable or not built?) and generate again.',
  },
  'names-folded': {
    means: 'long name lists were folded into prefix patterns to fit IAM’s size limits',
    resolution:
      'Each pattern keeps a prefix of the project; generate for fewer phases to keep more names exact.',
  },
  widened: {
    means: 'granted ARN patterns wider than the project’s own names, each with its cause in --json',
    resolution:
      'Deploy or pull the env once where a cause says a value is not recorded; the others are listed with why.',
  },
  'override-outside': {
    means: 'a grant of overrides.json reaches beyond the project: granted as written',
    resolution: 'Narrow it in amplify/least-privilege/overrides.json unless that is meant.',
  },
  'override-partial': {
    means: 'an exclusion of overrides.json matches part of a grant, which is kept',
    resolution: 'Exclude the wider pattern to remove it.',
  },
  'override-unused': {
    means: 'an exclusion of overrides.json matches no grant',
    resolution: 'Remove it, or correct its actions and resources.',
  },
  'assembly-incomplete': {
    means:
      'a part of a cloud assembly (nested assembly, asset manifest, nested template) is missing or unreadable',
    resolution:
      'Synthesize the app again (`cdk synth`, or `npx ampx sandbox` for Amplify Gen 2) and generate again.',
  },
  'stack-name-assumed': {
    means: 'a plain template names no stack: its file name is used as the stack name',
    resolution: 'Deploy it under that name, or rename the file.',
  },
  'environment-agnostic': {
    means: 'stacks of an assembly name no account or region: ARNs use * for them (reported as widenings)',
    resolution:
      'Give --account ID and --region NAME (where cdk deploy will deploy), or set env on the stacks.',
  },
  'stateful-removal': {
    means: 'the next push removes or replaces a resource that holds data',
    resolution:
      'Back up its data first; to let the push delete it, grant the deletes with ' +
      '`amplify least-privilege generate --phases push,delete` (then attach it), or delete it by hand after the push.',
  },
} as const satisfies Readonly<Record<string, KindInfo>>;

export type WarningKind = keyof typeof WARNING_KINDS;

export interface Warning {
  readonly kind: WarningKind;
  /** What happened, then the kind's resolution. */
  readonly text: string;
}

/** A warning: `what` happened (a sentence with its full stop), then the kind's resolution. */
export const warning = (kind: WarningKind, what: string): Warning => ({
  kind,
  text: `${what} ${WARNING_KINDS[kind].resolution}`,
});

/** The texts of warnings, as --json and the commands print them. */
export const warningTexts = (warnings: readonly Warning[]): string[] => warnings.map((w) => w.text);

const BUG_IN_DATA =
  'This is a bug in amplify-least-privilege (its data or its engine), not in your project: please report it with the command you ran.';

/** Problems of the generated documents themselves (never expected: each is a bug) and escalation paths. */
export const FINDING_KINDS = {
  'unknown-action': {
    means: 'a granted action IAM does not know',
    resolution: BUG_IN_DATA,
  },
  'resource-mismatch': {
    means:
      'a granted ARN no action of its statement is authorized on, or a resource-less action granted on an ARN',
    resolution: BUG_IN_DATA,
  },
  'too-large': { means: 'a document above IAM’s 6,144 characters', resolution: BUG_IN_DATA },
  'duplicate-sid': { means: 'two statements of a document share a Sid', resolution: BUG_IN_DATA },
  empty: { means: 'a document without statements', resolution: BUG_IN_DATA },
  escalation: {
    means:
      'a combination of grants that lets the holder gain permissions beyond the policy (data/escalation-rules.json)',
    resolution: 'Apply the finding’s mitigation (a permissions boundary, or narrower roles).',
  },
} as const satisfies Readonly<Record<string, KindInfo>>;

export type FindingKind = keyof typeof FINDING_KINDS;
