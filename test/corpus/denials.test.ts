import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePolicies, type GenerateResult } from '../../src/engine';
import { DEFAULT_PHASES, type Phase } from '../../src/model';
import { fixableByIdentityPolicy, parseDenials } from '../../src/learn/parse-denial';
import { phasesOfCommand } from '../../src/requirements/phases';
import { writeCraftedProject, type CraftedProject } from '../support/crafted-project';
import { CORPUS_DIR, copyToTemp, REPO_ROOT } from '../support/paths';
import { deniedRequests, VIA_CLOUDFORMATION } from '../support/simulate';

/**
 * Real AccessDenied reports of Amplify Gen 1 users (test/fixtures/denials/reports.json, each quoted
 * from its public thread), replayed on an equivalent project: the same category and kind of
 * resource, with the action and the resource rewritten to that project's names. The policy the
 * engine generates for the phases of the reported command must allow each replay (as a direct call
 * for the CLI's own calls, through CloudFormation for a resource handler's), unless the report is
 * listed as an exception with its reason; an exception that has a replay must still be denied, so a
 * fix that makes it pass also removes the exception.
 */

/**
 * Why a report is not allowed by the generated policy: the denied principal is not the deployer
 * (a custom resource's Lambda, app users), IAM denied it in a way no Allow fixes (an explicit deny,
 * an SCP), the Amplify CLI 14.2.2 no longer makes the call (per its source and traces), or the
 * resource type has no known handler permissions (generate reports it as unknown); `needs-code`: a
 * real gap that no data file can close (the reason says what the code must do).
 */
type ExceptionKind =
  'not-the-deployer' | 'not-an-identity-policy-denial' | 'not-in-cli-14' | 'unknown-type' | 'needs-code';

interface Replay {
  /** `examples/<name>`, `corpus/<folder>` (../shared/corpus/real) or `crafted`. */
  readonly project?: string;
  readonly crafted?: CraftedProject;
  /** Fields written into amplify/.config/project-config.json of a copy (`frontend: ios`). */
  readonly projectConfig?: Record<string, unknown>;
  readonly via?: 'cli' | 'cloudformation';
  /** For a handler's call: the CloudFormation type whose handler makes it (in the project's inventory). */
  readonly resourceType?: string;
  readonly action?: string;
  readonly resource?: string;
  readonly context?: Record<string, string>;
  readonly expected: 'allowed' | { readonly exception: ExceptionKind; readonly reason: string };
}

interface Report {
  readonly id: string;
  readonly url: string;
  readonly command: string;
  readonly category: string;
  readonly quote: string;
  readonly denied: { readonly action: string; readonly resource?: string; readonly parsed?: false };
  readonly replays: readonly Replay[];
  /** For a `not-the-deployer` exception: the denied principal the quote names. */
  readonly callerPattern?: string;
  readonly note?: string;
}

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'denials', 'reports.json');
const reports = (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { reports: Report[] }).reports;
const EXCEPTION_KINDS: readonly ExceptionKind[] = [
  'not-the-deployer',
  'not-an-identity-policy-denial',
  'not-in-cli-14',
  'unknown-type',
  'needs-code',
];

/** The phases of `amplify <words>`; a command no phase lists (amplify update, remove) gets the everyday policy. */
function phasesOf(command: string): Phase[] {
  return phasesOfCommand(command.replace(/^amplify\s+/, '')) ?? [...DEFAULT_PHASES];
}

/** The folder of a replay's project, made on demand (crafted or edited copies); undefined when the corpus is absent. */
function projectDir(replay: Replay): string | undefined {
  const source = replay.project ?? '';
  let dir: string | undefined;
  if (source === 'crafted') return writeCraftedProject(replay.crafted ?? {});
  if (source.startsWith('examples/')) dir = path.join(REPO_ROOT, source);
  else if (source.startsWith('corpus/')) {
    if (!CORPUS_DIR) return undefined;
    dir = path.join(CORPUS_DIR, source.slice('corpus/'.length));
  } else throw new Error(`unknown project ${source}`);
  if (!replay.projectConfig) return dir;
  const copy = copyToTemp(dir);
  const file = path.join(copy, 'amplify', '.config', 'project-config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...config, ...replay.projectConfig }, null, 2));
  return copy;
}

const generated = new Map<string, Promise<GenerateResult | undefined>>();
function policyFor(replay: Replay, phases: Phase[]): Promise<GenerateResult | undefined> {
  const key = JSON.stringify([replay.project, replay.crafted, replay.projectConfig, phases]);
  if (!generated.has(key)) {
    generated.set(
      key,
      (async () => {
        const dir = projectDir(replay);
        return dir ? generatePolicies({ projectDir: dir, phases }) : undefined;
      })(),
    );
  }
  return generated.get(key) as Promise<GenerateResult | undefined>;
}

const typesOf = (result: GenerateResult): Set<string> =>
  new Set(result.inventory.resources.flatMap((resource) => resource.cfnResources.map((r) => r.type)));

const isException = (expected: Replay['expected']): expected is Exclude<Replay['expected'], 'allowed'> =>
  expected !== 'allowed';

describe('denials: real AccessDenied reports, replayed on equivalent projects', function () {
  this.timeout(300_000);

  it('holds at least 40 real reports, each with its public thread, quote, command and replay or exception', () => {
    assert.ok(reports.length >= 40, `${reports.length} reports`);
    assert.equal(new Set(reports.map((r) => r.id)).size, reports.length, 'ids are unique');
    for (const report of reports) {
      assert.match(report.url, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/, report.id);
      assert.ok(
        report.quote.length > 20 && report.command.length > 0 && report.category.length > 0,
        report.id,
      );
      assert.ok(report.replays.length > 0, `${report.id}: a replay or an exception`);
      for (const replay of report.replays) {
        if (isException(replay.expected)) {
          assert.ok(
            EXCEPTION_KINDS.includes(replay.expected.exception),
            `${report.id}: ${replay.expected.exception}`,
          );
          assert.ok(replay.expected.reason.length > 30, `${report.id}: the exception says why`);
        }
        if (replay.action === undefined) {
          assert.ok(isException(replay.expected), `${report.id}: a replay without a request is an exception`);
          continue;
        }
        assert.ok(replay.via === 'cli' || replay.via === 'cloudformation', `${report.id}: via`);
        assert.ok(replay.via === 'cli' || replay.resourceType, `${report.id}: the handler's resource type`);
        assert.ok(replay.resource && replay.project, `${report.id}: the resource and the project`);
      }
    }
  });

  it("each quote says what the report's `denied` says", () => {
    for (const report of reports) {
      if (report.denied.parsed === false) {
        const name = report.denied.action.split(':')[1];
        assert.ok(
          report.quote.includes(name) || report.note || report.replays.some((r) => isException(r.expected)),
          `${report.id}: the quote names ${name}, or a note says where the action comes from`,
        );
        continue;
      }
      const found = parseDenials(report.quote);
      assert.ok(
        found.some(
          (d) =>
            d.action === report.denied.action &&
            (report.denied.resource === undefined || d.resource === report.denied.resource),
        ),
        `${report.id}: ${JSON.stringify(found.map((d) => [d.action, d.resource]))}`,
      );
    }
  });

  for (const report of reports) {
    describe(`${report.id} (${report.command}; ${report.url})`, () => {
      const phases = phasesOf(report.command);
      report.replays.forEach((replay, n) => {
        const expected = replay.expected;
        const label = replay.action
          ? `${replay.action} on ${replay.resource} (${replay.via}, ${replay.project}, phases ${phases.join(',')})`
          : 'no request to replay';
        const verdict = isException(expected) ? `exception ${expected.exception}` : 'allowed';
        it(`#${n + 1} ${label}: ${verdict}`, async function () {
          if (!replay.action || !replay.resource) {
            assertExceptionWithoutReplay(report, expected);
            return;
          }
          const result = await policyFor(replay, phases);
          if (!result) {
            console.log(`      (skipped: ${replay.project} is not beside this checkout)`);
            this.skip();
          }
          assertEquivalent(report, replay, result);
          const denied = await deniedRequests(
            result.policies,
            [
              {
                action: replay.action,
                resource: requestResource(result, replay.action, replay.resource),
                context: {
                  ...(replay.via === 'cloudformation' ? VIA_CLOUDFORMATION : {}),
                  ...replay.context,
                },
                why: `${report.id}: ${report.url}`,
              },
            ],
            result.context.region,
          );
          if (isException(expected)) {
            assert.equal(
              denied.length,
              1,
              `${report.id} is listed as an exception, but the policy allows it now`,
            );
            if (expected.exception === 'unknown-type')
              assert.ok(
                result.unknownTypes.some((t) => t.type === replay.resourceType),
                `${report.id}: generate reports ${replay.resourceType} as unknown`,
              );
          } else assert.deepEqual(denied, []);
        });
      });
    });
  }
});

/**
 * The resource as IAM compares it. An action the IAM reference gives no resource type
 * (lambda:ListLayerVersions, appsync:UpdateResolver) is granted on `*` only, whatever ARN the
 * message shows, and the simulator names it `*`. Otherwise a `*` in a denied ARN (`.../jobs/*`,
 * `arn:aws:appsync:us-east-2:1234:*`) is a literal character of the request, which only a policy
 * pattern's wildcard matches; the simulator would read it as "any resource", so it becomes a word.
 */
function requestResource(result: GenerateResult, action: string, resource: string): string {
  if (resource === '*' || result.iam.action(action)?.resourceTypes.length === 0) return '*';
  return resource.replace(/\*/g, 'ASTERISK');
}

/** The replay is on the same kind of resource, in the project's own account and region. */
function assertEquivalent(report: Report, replay: Replay, result: GenerateResult): void {
  if (replay.via === 'cloudformation')
    assert.ok(
      typesOf(result).has(replay.resourceType ?? ''),
      `${report.id}: ${replay.project} deploys no ${replay.resourceType}`,
    );
  const [, , service, region, account] = (replay.resource ?? '').split(':');
  if (account) assert.equal(account, result.context.accountId, `${report.id}: the project's account`);
  if (region && !['iam', 'cloudfront', 's3'].includes(service))
    assert.equal(region, result.context.region, `${report.id}: the project's region`);
}

/** A report with no request to replay: the quote shows why no deployer policy is concerned. */
function assertExceptionWithoutReplay(report: Report, expected: Replay['expected']): void {
  assert.ok(isException(expected), `${report.id}: nothing to replay`);
  const denials = parseDenials(report.quote);
  if (expected.exception === 'not-an-identity-policy-denial') {
    assert.ok(denials.length > 0 && denials.every((d) => !fixableByIdentityPolicy(d)), report.id);
  } else if (expected.exception === 'not-the-deployer') {
    if (denials.length === 0) return; // the quote does not name the principal; the reason does
    assert.ok(report.callerPattern, `${report.id}: callerPattern names the denied principal`);
    assert.ok(
      denials.every((d) => new RegExp(report.callerPattern ?? '^$').test(d.caller ?? '')),
      `${report.id}: ${denials.map((d) => d.caller).join(', ')}`,
    );
  } else assert.fail(`${report.id}: a ${expected.exception} exception needs a replay that stays denied`);
}
