/**
 * `npm run bench:accuracy`: how tight and how complete the generated policy is, per project
 * (the corpus and the real-CLI examples) and in total, next to AWS's and the community's
 * reference policies on the same projects. Prints a Markdown report and writes it to
 * docs/accuracy.md. Deterministic: the same data gives the same file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { generatePolicies } from '../src/engine';
import type { Statement } from '../src/model';
import { CORPUS_DIR, corpusProjects, exampleProjects, REFERENCE_DIR, REPO_ROOT } from '../test/support/paths';

const REFERENCES = [
  'AdministratorAccess-Amplify.json',
  'amplify-docs-cli-iam-policy-2022-06.json',
  'static-blog-policy.json',
] as const;

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
    const expanded = (await expandIamActions([s.Action].flat() as string[])).map((a) => a.toLowerCase());
    expanded.forEach((a) => actions.add(a));
    if ([s.Resource].flat().includes('*') && !s.Condition) expanded.forEach((a) => unconditionedOnAny.add(a));
  }
  return { actions, unconditionedOnAny };
}

const pct = (part: number, whole: number): string =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`;
const ratio = (a: number, b: number): string => (b === 0 ? '-' : (a / b).toFixed(2));
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
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
    ...corpusProjects().map((name) => ({ label: name, dir: path.join(CORPUS_DIR ?? '', name) })),
    ...exampleProjects().map((dir) => ({ label: `examples/${path.basename(dir)}`, dir })),
  ];

  const rows: Array<Array<string | number>> = [];
  const totals = {
    granted: 0,
    needed: 0,
    unconditioned: 0,
    documents: [] as number[],
    shareOfAdmin: [] as number[],
  };
  const referenceTotals = references.map(() => ({ granted: 0, missing: 0, unconditioned: 0 }));
  for (const project of projects) {
    const result = await generatePolicies({ projectDir: project.dir });
    const grants = await grantsOf(result.policies.flatMap((p) => p.document.Statement));
    // Needed: the CLI's calls for the phases plus the handler permissions of the types present, after trimming.
    const needed = new Set(result.requirements.map((r) => r.action.toLowerCase()));
    const missing = [...needed].filter((a) => !grants.actions.has(a));
    if (missing.length > 0)
      throw new Error(`${project.label}: needed but not granted: ${missing.join(', ')}`);
    totals.granted += grants.actions.size;
    totals.needed += needed.size;
    totals.unconditioned += grants.unconditionedOnAny.size;
    totals.documents.push(result.policies.length);
    totals.shareOfAdmin.push(grants.actions.size / references[0].grants.actions.size);
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
      needed.size,
      ratio(grants.actions.size, needed.size),
      pct(grants.unconditionedOnAny.size, grants.actions.size),
      result.policies.length,
      result.policies.map((p) => p.characters).join(' / '),
      ...referenceCells,
    ]);
  }
  const n = projects.length;
  rows.push([
    `**all ${n} projects**`,
    totals.granted,
    totals.needed,
    ratio(totals.granted, totals.needed),
    pct(totals.unconditioned, totals.granted),
    `${totals.documents.filter((d) => d <= 2).length} of ${n} in ≤ 2, max ${Math.max(...totals.documents)}`,
    '',
    ...referenceTotals.flatMap((t) => [ratio(t.granted, totals.needed), t.missing]),
  ]);

  const referenceHeaders = [
    'AdminAccess-Amplify ratio',
    'AdminAccess-Amplify missing',
    'docs 2022 ratio',
    'docs 2022 missing',
    'blog ratio',
    'blog missing',
  ];
  const report = [
    '# Accuracy report',
    '',
    'Made by `npm run bench:accuracy` (bench/accuracy.ts) over the corpus (`../shared/corpus/real`) and the',
    'projects the real Amplify CLI made (`examples/`), for phase `push`. Columns:',
    '',
    '- **granted**: distinct actions the generated documents allow (wildcards expanded with @cloud-copilot/iam-expand);',
    "- **needed**: distinct actions the push needs: the Amplify CLI's own calls plus the CloudFormation handler",
    '  permissions of the resource types present, after trimming by template properties;',
    '- **ratio**: granted / needed; **on \\***: share of granted actions on `Resource: "*"` without any condition;',
    '- **docs**, **characters**: managed policies and their IAM sizes (limit 6,144 each);',
    '- per reference policy: its granted actions / needed (**ratio**) and how many needed actions it does not',
    '  grant at all (**missing**). "Needed" follows the CloudFormation registry schemas of 2026; many of the',
    '  missing ones are reads (Get*, List*) and newer options that AdministratorAccess-Amplify (v12, 2024) predates.',
    '',
    table(['project', 'granted', 'needed', 'ratio', 'on *', 'docs', 'characters', ...referenceHeaders], rows),
    '',
    '## Reference policies',
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
    '## Targets (issue 3)',
    '',
    table(
      ['target', 'measured', 'met'],
      [
        [
          'granted / needed ≤ 1.15 overall',
          ratio(totals.granted, totals.needed),
          totals.granted / totals.needed <= 1.15 ? 'yes' : 'no',
        ],
        [
          '≤ 10 % of granted actions on * without a condition',
          pct(totals.unconditioned, totals.granted),
          totals.unconditioned / totals.granted <= 0.1 ? 'yes' : 'no',
        ],
        [
          '≤ 2 managed policies for ≥ 80 % of projects',
          pct(totals.documents.filter((d) => d <= 2).length, n),
          totals.documents.filter((d) => d <= 2).length / n >= 0.8 ? 'yes' : 'no',
        ],
        [
          'never more than 4 managed policies',
          `max ${Math.max(...totals.documents)}`,
          Math.max(...totals.documents) <= 4 ? 'yes' : 'no',
        ],
        [
          '≤ 40 % of the actions AdministratorAccess-Amplify grants, median project',
          pct(median(totals.shareOfAdmin), 1),
          median(totals.shareOfAdmin) <= 0.4 ? 'yes' : 'no',
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
