import path = require('node:path');
import type { GenerateResult } from '../engine';
import { resourceLabel } from '../inventory/resource-label';
import type { ConditionBlock, Grant, Reason, Requirement } from '../model';
import { OVERRIDES_FILE } from '../overrides/overrides-file';
import { compareActions, serviceOf } from '../policy/statements';
import { pushTo } from '../collections';
import { compareText } from '../text-order';

/**
 * The review written beside the policy files (`<policy name>.md`): for whoever approves the
 * policy, what it grants per service and resource and why, what was left out or widened and
 * why, the escalation findings and the totals. Read from the engine's result only (the grants
 * each statement holds, their origins): same result, same text, byte for byte.
 */

/**
 * Where the review of these policy files goes: beside the first, `<its name>.md`
 * (`amplify/least-privilege/<policy name>.md`); `<its name>.review.md` for a file the user
 * named with --out, so that `--out README.json` never overwrites README.md.
 */
export const reviewFilePath = (firstPolicyFile: string, named = false): string =>
  `${firstPolicyFile.slice(0, firstPolicyFile.length - path.extname(firstPolicyFile).length)}${named ? '.review' : ''}.md`;

/** The heading of the granted permissions, which `check --format markdown` reads back. */
export const GRANTED_HEADING = '## Granted, per service';

export function reviewText(result: GenerateResult, policyFiles: readonly string[]): string {
  const lines: string[] = [];
  const name = result.policies[0]?.name ?? 'policy';
  const { context } = result;
  lines.push(`# IAM policy review: ${name}`, '');
  lines.push(
    `Project \`${context.projectName ?? '?'}\`${context.envName === undefined && context.envNames.length === 0 ? '' : `, env \`${context.envName ?? '?'}\``}, account \`${context.accountId ?? '?'}\`, region \`${context.region ?? '?'}\`; phases ${result.phases.map((p) => `\`${p}\``).join(', ')}.`,
    'Written by `amplify least-privilege generate` with the policy files: generate again instead of editing it.',
    '`amplify least-privilege explain ACTION` prints every reason of an action in full.',
    '',
  );
  lines.push(...totals(result), '');
  lines.push(...documents(result, policyFiles), '');
  lines.push(...escalations(result), '');
  const merged = mergedStatements(result);
  if (merged.length > 0) lines.push(...merged, '');
  lines.push(...widened(result), '');
  lines.push(...trimmed(result), '');
  const excluded = exclusions(result);
  if (excluded.length > 0) lines.push(...excluded, '');
  lines.push(...resources(result), '');
  lines.push(...granted(result));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Every grant of the documents, in document and statement order, once. */
function grantsOf(result: GenerateResult): Grant[] {
  const seen = new Set<Grant>();
  for (const statements of result.origins)
    for (const grants of statements) for (const g of grants) seen.add(g);
  return [...seen];
}

/** At most MAX_LISTED items, then how many more (`explain` and `--json` list them all). */
const MAX_LISTED = 6;
const few = (items: readonly string[], separator: string): string =>
  items.length <= MAX_LISTED
    ? items.join(separator)
    : `${items.slice(0, MAX_LISTED - 1).join(separator)} and ${items.length - MAX_LISTED + 1} more`;

const code = (value: string): string => `\`${value}\``;
/** 12345 → `12,345` (toLocaleString would load ICU's locale data on every cold start). */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function totals(result: GenerateResult): string[] {
  const actions = new Set<string>();
  const resources = new Set<string>();
  let statements = 0;
  for (const policy of result.policies)
    for (const statement of policy.document.Statement) {
      statements += 1;
      statement.Action.forEach((a) => actions.add(a));
      statement.Resource.forEach((r) => resources.add(r));
    }
  const services = new Set([...actions].map(serviceOf));
  const onAny = new Set(
    result.policies.flatMap((p) =>
      p.document.Statement.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action),
    ),
  );
  const characters = result.policies.reduce((sum, p) => sum + p.characters, 0);
  const high = result.escalations.filter((f) => f.severity === 'high').length;
  return [
    '## Totals',
    '',
    '| | |',
    '|---|---|',
    `| documents | ${result.policies.length} (${count(characters)} characters; IAM allows 6,144 per document, 10 documents) |`,
    `| statements | ${statements} |`,
    `| actions | ${count(actions.size)} of ${services.size} services; ${count(onAny.size)} on \`*\` |`,
    `| resource patterns | ${count(resources.size)} |`,
    `| escalation findings | ${result.escalations.length}${high > 0 ? ` (${high} high)` : ''} |`,
    `| widened patterns | ${result.widened.length} |`,
    `| optional actions left out | ${count(new Set(result.trimmed.map((t) => `${t.resourceType} ${t.action}`)).size)} |`,
    `| warnings | ${result.warnings.length} (printed by generate) |`,
  ];
}

function documents(result: GenerateResult, policyFiles: readonly string[]): string[] {
  return [
    '## Documents',
    '',
    ...result.policies.map(
      (policy, i) =>
        `- ${code(path.basename(policyFiles[i] ?? `${policy.name}.json`))}: ${count(policy.characters)} characters, statements ${policy.document.Statement.map((s) => code(s.Sid ?? '')).join(', ')}`,
    ),
  ];
}

function escalations(result: GenerateResult): string[] {
  const lines = ['## Escalation findings', ''];
  if (result.escalations.length === 0) return [...lines, 'None.'];
  for (const f of result.escalations) {
    lines.push(`- **${f.severity}**, ${code(f.id)}: ${f.reason}`);
    lines.push(`  - Mitigation: ${f.mitigation}`);
    lines.push(`  - Grants: ${few(f.grants.map(code), '; ')}`);
  }
  return lines;
}

/** Statements that hold several services, which the policy needed to fit fewer documents. */
function mergedStatements(result: GenerateResult): string[] {
  const mixed: string[] = [];
  for (const policy of result.policies)
    for (const statement of policy.document.Statement) {
      const services = [...new Set(statement.Action.map(serviceOf))];
      if (services.length > 1)
        mixed.push(`- ${code(statement.Sid ?? '')} in ${code(policy.name)}: ${services.join(', ')}`);
    }
  if (mixed.length === 0) return [];
  const single = result.servicesMerged?.documentsWithOneService;
  return [
    '## Statements that hold several services',
    '',
    `One service per statement would need ${single === undefined ? 'more than 10' : single} documents instead of ${result.policies.length}, so these statements hold the actions of several services. Each still allows exactly the requests its services' statements would: their actions cannot reach each other's resources, or they share the same resources and condition.`,
    '',
    ...mixed,
  ];
}

function widened(result: GenerateResult): string[] {
  const lines = ["## Widened: patterns wider than the project's own names", ''];
  if (result.widened.length === 0) return [...lines, 'None.'];
  const byCause = new Map<string, string[]>();
  for (const w of result.widened) pushTo(byCause, w.cause, w.pattern);
  for (const [cause, patterns] of [...byCause].sort(([a], [b]) => compareText(a, b)))
    lines.push(`- ${patterns.sort().map(code).join(', ')}: ${cause}`);
  return lines;
}

function trimmed(result: GenerateResult): string[] {
  const lines = ['## Left out: optional actions no template property needs', ''];
  if (result.trimmed.length === 0) return [...lines, 'None.'];
  const byType = new Map<string, Map<string, { actions: Set<string>; resources: Set<string> }>>();
  for (const t of result.trimmed) {
    const reasons = byType.get(t.resourceType) ?? new Map();
    const entry = reasons.get(t.reason) ?? { actions: new Set<string>(), resources: new Set<string>() };
    entry.actions.add(t.action);
    entry.resources.add(t.resource);
    reasons.set(t.reason, entry);
    byType.set(t.resourceType, reasons);
  }
  for (const [type, reasons] of [...byType].sort(([a], [b]) => compareText(a, b))) {
    const owners = new Set([...reasons.values()].flatMap((e) => [...e.resources]));
    lines.push(`- ${code(type)} (${[...owners].sort().join(', ')}):`);
    for (const [reason, { actions }] of [...reasons].sort(([a], [b]) => compareText(a, b)))
      lines.push(`  - ${[...actions].sort().map(code).join(', ')}: ${reason}`);
  }
  return lines;
}

function exclusions(result: GenerateResult): string[] {
  if (result.overrides.excluded.length === 0) return [];
  return [
    `## Excluded by ${OVERRIDES_FILE}`,
    '',
    ...result.overrides.excluded.map(
      (e) =>
        `- ${code(e.action)} on ${code(e.resource)}: ${e.reason} (exclusions[${e.exclusion}]; needed by ${e.neededBy})`,
    ),
  ];
}

/** The project's resources, as `check --format markdown` reads them back. */
function resources(result: GenerateResult): string[] {
  return [
    '## Resources',
    '',
    ...result.inventory.resources.map((r) => {
      const types = [...new Set(r.cfnResources.map((c) => c.type))].sort();
      return `- ${code(resourceLabel(r))} (${r.service}): ${types.length} resource type${types.length === 1 ? '' : 's'}`;
    }),
  ];
}

/**
 * Per service, per ARN pattern (patterns with the same content together), per condition: the
 * actions, grouped by why they are needed (phases, who needs them, what, data source).
 */
function granted(result: GenerateResult): string[] {
  const byService = new Map<string, Map<string, Grant[]>>();
  for (const grant of grantsOf(result)) {
    const service = serviceOf(grant.action);
    let byResource = byService.get(service);
    if (!byResource) byService.set(service, (byResource = new Map<string, Grant[]>()));
    pushTo(byResource, grant.resource, grant);
  }
  const lines = [GRANTED_HEADING, ''];
  for (const [service, byResource] of [...byService].sort(([a], [b]) => compareText(a, b))) {
    const actions = new Set([...byResource.values()].flat().map((g) => g.action));
    lines.push(`### ${service} (${actions.size} action${actions.size === 1 ? '' : 's'})`, '');
    // Patterns whose actions and reasons read the same share one heading.
    const byBody = new Map<string, string[]>();
    for (const [resource, grants] of byResource) {
      pushTo(byBody, resourceBody(grants).join('\n'), resource);
    }
    const sections = [...byBody].map(([body, patterns]) => ({ body, patterns: patterns.sort() }));
    sections.sort((a, b) => compareText(a.patterns[0], b.patterns[0]));
    for (const { body, patterns } of sections) {
      const [first, ...rest] = body.split('\n');
      // A single condition goes on the heading line: `#### ARN — *Only through CloudFormation*`.
      const heading = `#### ${patterns.map(code).join(', ')}`;
      if (first.startsWith('*')) lines.push(`${heading} — ${first}`, ...rest, '');
      else lines.push(heading, first, ...rest, '');
    }
  }
  return lines;
}

/** The lines under one ARN pattern: per condition, the actions grouped by their reasons. */
function resourceBody(grants: readonly Grant[]): string[] {
  const byCondition = new Map<string, Grant[]>();
  for (const grant of grants) pushTo(byCondition, conditionText(grant.condition), grant);
  const lines: string[] = [];
  for (const [condition, conditioned] of [...byCondition].sort(([a], [b]) => compareText(a, b))) {
    const indent = byCondition.size > 1 ? '  ' : '';
    if (byCondition.size > 1) lines.push(`- ${condition || 'Without condition'}:`);
    else if (condition) lines.push(condition);
    const byAction = new Map<string, Grant[]>();
    for (const grant of conditioned) pushTo(byAction, grant.action, grant);
    const byWhy = new Map<string, string[]>();
    for (const [action, ofAction] of byAction) pushTo(byWhy, whyOf(ofAction), action);
    const entries = [...byWhy].map(([why, actions]) => ({ why, actions: actions.sort(compareActions) }));
    entries.sort((a, b) => compareActions(a.actions[0], b.actions[0]));
    for (const { why, actions } of entries) lines.push(`${indent}- ${actions.map(code).join(', ')} — ${why}`);
  }
  return lines;
}

/** What a condition block allows, in words. */
export function conditionText(condition: ConditionBlock | undefined): string {
  if (!condition) return '';
  let text = conditionTexts.get(condition);
  if (text === undefined) conditionTexts.set(condition, (text = conditionWords(condition)));
  return text;
}

/** Grants share their condition objects: each is put in words once. */
const conditionTexts = new WeakMap<ConditionBlock, string>();

function conditionWords(condition: ConditionBlock): string {
  const parts: string[] = [];
  for (const [operator, keys] of Object.entries(condition).sort(([a], [b]) => compareText(a, b)))
    for (const [key, value] of Object.entries(keys).sort(([a], [b]) => compareText(a, b))) {
      const values = [value].flat();
      if (key === 'aws:CalledVia') parts.push('only through CloudFormation');
      else if (key === 'iam:PassedToService') parts.push(`only passed to ${values.join(', ')}`);
      else if (key === 'aws:RequestedRegion') parts.push(`only in ${values.join(', ')}`);
      else if (key === 'iam:PermissionsBoundary')
        parts.push(`only with the permissions boundary ${values.join(', ')}`);
      else if (key === 'iam:AWSServiceName')
        parts.push(`only for the service-linked roles of ${values.join(', ')}`);
      else parts.push(`${operator} ${key} ${values.join(', ')}`);
    }
  return parts.length > 0 ? `*${capitalize(parts.join('; '))}*` : '';
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Why the grants of one action on one pattern are needed: one part per kind of need (the
 * Amplify CLI's step, a resource type's handler, a hand-written grant), with the phases and
 * the project's resources that need it and the data file that says so.
 */
function whyOf(grants: readonly Grant[]): string {
  const parts = new Map<string, { phases: Set<string>; resources: Set<string> }>();
  const seen = new Set<readonly Requirement[]>();
  for (const origin of grants.flatMap((g) => g.origins)) {
    if (seen.has(origin)) continue;
    seen.add(origin);
    for (const { reason, phase } of origin) {
      const key = needOf(reason);
      const part = parts.get(key) ?? { phases: new Set<string>(), resources: new Set<string>() };
      part.phases.add(phase);
      if (reason.via === 'cloudformation') part.resources.add(reason.resource);
      parts.set(key, part);
    }
  }
  return [...parts]
    .map(([need, { phases, resources }]) => {
      const who = resources.size > 0 ? ` for ${few([...resources].sort(), ', ')}` : '';
      return `${[...phases].sort().join(', ')}: ${need.replace('{who}', who)}`;
    })
    .sort()
    .join('; ');
}

/** A need without its phase and resources (`{who}` marks where they go). */
function needOf(reason: Requirement['reason']): string {
  let need = needs.get(reason);
  if (need === undefined) needs.set(reason, (need = needWords(reason)));
  return need;
}

/** Requirements share their reasons: each is put in words once. */
const needs = new WeakMap<Requirement['reason'], string>();

function needWords(reason: Requirement['reason']): string {
  if (reason.via === 'cli') return `${cliCaller(reason)}: ${reason.summary} [${reason.source}]`;
  if (reason.via === 'override') return `${reason.resource}: ${reason.summary}`;
  const note = reason.detail.startsWith(reason.summary)
    ? reason.detail.slice(reason.summary.length).trim()
    : '';
  const what = reason.resourceType ? `${reason.resourceType} handler` : reason.summary;
  return `CloudFormation{who}: ${what}${note ? ` ${note}` : ''} [${reason.source}]`;
}

/** What a committed review records: why each (action, ARN pattern) was granted, and the resources. */
export interface ReviewRecord {
  /** By `<action in lower case> <ARN pattern>`: the why of its line. */
  readonly whys: ReadonlyMap<string, string>;
  /** The resources it lists (`function/lpfn`, `root stack`). */
  readonly resources: readonly string[];
}

/** The key of an action on a pattern in ReviewRecord.whys. */
export const reviewKey = (action: string, resource: string): string => `${action.toLowerCase()} ${resource}`;

/** Reads back what reviewText wrote (lines it does not recognise are skipped: a hand edit loses only them). */
export function parseReview(text: string): ReviewRecord {
  const whys = new Map<string, string>();
  const resources: string[] = [];
  let section = '';
  let patterns: string[] = [];
  const backticked = (part: string): string[] => [...part.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('## ')) section = line;
    else if (section === '## Resources' && line.startsWith('- `')) resources.push(backticked(line)[0]);
    else if (section === GRANTED_HEADING && line.startsWith('#### '))
      patterns = backticked(line.split(' — ')[0]);
    else if (section === GRANTED_HEADING && /^\s*- `/.test(line)) {
      const at = line.indexOf(' — ');
      if (at < 0) continue;
      const why = line.slice(at + 3);
      for (const action of backticked(line.slice(0, at)))
        for (const pattern of patterns) whys.set(reviewKey(action, pattern), why);
    }
  }
  return { whys, resources };
}

/** Who makes a CLI call: the Amplify CLI for a Gen 1 project, the CDK CLI for an assembly (its reason's resource). */
export const cliCaller = (reason: Reason): string =>
  reason.resource === 'project' ? 'Amplify CLI' : reason.resource;
