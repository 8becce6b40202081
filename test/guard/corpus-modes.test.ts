import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePolicies } from '../../src/engine';
import { LeastPrivilegeError } from '../../src/errors';
import type { GuardMode } from '../../src/discovery/guard-config';
import { readGuardState, writeGuardConfig } from '../../src/outputs/guard-files';
import { slowCheck } from '../../src/guard/pre-push-slow';
import { writeOutputs } from '../../src/outputs/write-outputs';
import { attachedNames, createUser } from '../support/iam-fixture';
import { startMoto } from '../support/moto';
import { CORPUS_DIR, copyToTemp, corpusProjects } from '../support/paths';
import { prePush, slowRequest } from '../support/pre-push';
import { needs } from '../support/grants';

/**
 * Every mode of the pre-push guard on every real corpus project, each with its own policy as
 * generate writes it: unchanged (covered), edited by hand to lack one action a resource of the
 * project needs, and stale (the project changed, the policy still covers it).
 */
interface Generated {
  readonly project: string;
  readonly env: string;
  /** One action a resource of the project needs from CloudFormation, picked per project. */
  readonly action: string;
  /** The resources (category/name) that need it. */
  readonly neededBy: readonly string[];
  readonly policyFiles: readonly string[];
}

async function generated(name: string): Promise<Generated> {
  const project = copyToTemp(path.join(CORPUS_DIR ?? '', name));
  const env = (await generatePolicies({ projectDir: project })).context.envName ?? 'default';
  // The CLI keeps the checked-out env there; a clone has none until `amplify env checkout`.
  // Written before the policy: the engine reads it, so writing it later makes the project changed.
  const localEnv = path.join(project, 'amplify/.config/local-env-info.json');
  if (!fs.existsSync(localEnv)) {
    fs.mkdirSync(path.dirname(localEnv), { recursive: true });
    fs.writeFileSync(localEnv, JSON.stringify({ envName: env }));
  }
  const result = await generatePolicies({ projectDir: project });
  await writeOutputs(result, { projectDir: project });
  const candidates = [
    ...new Set(
      needs(result)
        .filter((r) => r.reason.via === 'cloudformation' && r.reason.resource !== 'root stack')
        .map((r) => r.action),
    ),
  ].sort();
  assert.ok(candidates.length > 0, `${name}: no resource requirement to remove`);
  const pick = crypto.createHash('sha256').update(name).digest().readUInt32BE(0) % candidates.length;
  const action = candidates[pick];
  const neededBy = [
    ...new Set(
      needs(result)
        .filter((r) => r.action === action)
        .map((r) => r.reason.resource),
    ),
  ];
  const state = readGuardState(project, env);
  assert.ok(state, `${name}: generate wrote the state of env ${env}`);
  return { project, env, action, neededBy, policyFiles: state.policies.map((p) => p.file) };
}

/** Removes the action from every statement of the env's policy files, as a hand edit would. */
function withoutAction(g: Generated): void {
  for (const file of g.policyFiles) {
    const full = path.join(g.project, file);
    const document = JSON.parse(fs.readFileSync(full, 'utf8')) as {
      Statement: Array<{ Action: string | string[] }>;
    };
    document.Statement = document.Statement.map((s) => ({
      ...s,
      Action: [s.Action].flat().filter((a) => a !== g.action),
    })).filter((s) => s.Action.length > 0);
    fs.writeFileSync(full, JSON.stringify(document, null, 2));
  }
}

function setMode(project: string, mode: GuardMode): void {
  writeGuardConfig(project, { mode, verify: false });
}

const MISSING = (action: string): RegExp =>
  new RegExp(`${action.replace(/[.*]/g, '\\$&')} on (arn:aws\\S+|\\*) +\\(needed by `);

describe('pre-push guard: every mode on every corpus project', function () {
  this.timeout(120_000);
  const projects = corpusProjects();

  for (const name of projects) {
    it(`${name}: covered takes the fast path; a hand-removed action warns, blocks, or is ignored by mode; stale but covering passes`, async () => {
      const g = await generated(name);

      for (const mode of ['off', 'warn', 'block', 'update'] as const) {
        setMode(g.project, mode);
        const covered = await prePush(g.project);
        assert.equal(covered.error, undefined, `${mode}: ${covered.said}`);
        // Silent, except that block says it let the push through.
        assert.equal(
          covered.said,
          mode === 'block'
            ? `least-privilege: the policy for env ${g.env} covers this push (mode block; nothing it depends on changed since it was generated).\n`
            : '',
          `${mode}: an unchanged project takes the fast path`,
        );
      }

      withoutAction(g);
      setMode(g.project, 'off');
      assert.deepEqual(await prePush(g.project), { said: '' }, 'off checks nothing');

      setMode(g.project, 'warn');
      const warned = await prePush(g.project);
      assert.equal(warned.error, undefined, 'warn lets the push go on');
      assert.match(warned.said, /warning \(mode warn, the push goes on\)/);
      assert.match(warned.said, MISSING(g.action));
      assert.ok(
        g.neededBy.some((resource) => warned.said.includes(resource)),
        `names a resource that needs ${g.action} (${g.neededBy.join(', ')}):\n${warned.said}`,
      );

      setMode(g.project, 'block');
      const blocked = await prePush(g.project);
      assert.ok(
        blocked.error instanceof LeastPrivilegeError && blocked.error.kind === 'blocked',
        `block stops the push (${g.action}):\n${blocked.said}`,
      );
      assert.match(blocked.error.message, MISSING(g.action));
      assert.match(blocked.error.resolution, /amplify least-privilege generate --attach/);

      // Regenerated, then the project changes in a way that needs nothing new.
      const result = await generatePolicies({ projectDir: g.project, envName: g.env });
      await writeOutputs(result, { projectDir: g.project, envName: g.env });
      const input = [
        'amplify/backend/backend-config.json',
        'amplify/team-provider-info.json',
        'amplify/.config/project-config.json',
      ].find((file) => fs.existsSync(path.join(g.project, file)));
      assert.ok(input, 'a JSON input of the policy to change');
      fs.appendFileSync(path.join(g.project, input), '\n');
      const stale = await prePush(g.project);
      assert.equal(stale.error, undefined, stale.said);
      assert.match(stale.said, /covers this push \(the project changed since it was generated/);
      assert.equal(
        (await prePush(g.project)).said,
        `least-privilege: the policy for env ${g.env} covers this push (mode block; nothing it depends on changed since it was checked).\n`,
        'then the fast path, from the local cache',
      );
    });
  }
});

describe('pre-push guard: update mode on corpus projects (moto)', function () {
  this.timeout(180_000);
  // One project that fits one policy and one that needs three.
  const chosen = ['nivr__amplify-analytics', 'ruralinnovation__amplify-react-frontend'].filter((name) =>
    corpusProjects().includes(name),
  );

  for (const name of chosen) {
    it(`${name}: regenerates, attaches every policy to the user (--yes), then pushes take the fast path`, async () => {
      const moto = await startMoto();
      try {
        const user = await createUser(moto.endpoint);
        const g = await generated(name);
        setMode(g.project, 'update');
        withoutAction(g);
        let said = '';
        await slowCheck(
          slowRequest(g.project, true),
          { say: (line) => void (said += `${line}\n`) },
          {
            io: { out: () => undefined, err: () => undefined },
            cwd: g.project,
            awsClients: { iam: user.iam, sts: user.sts },
          },
        );
        assert.match(said, MISSING(g.action));
        assert.match(said, /mode update: generating and attaching/);
        const state = readGuardState(g.project, g.env);
        assert.ok(state);
        assert.deepEqual(await attachedNames(user.iam, user.name), state.policies.map((p) => p.name).sort());
        assert.equal(state.attachedTo, `user:${user.name}`);
        assert.ok(
          state.policies.some((p) =>
            fs.readFileSync(path.join(g.project, p.file), 'utf8').includes(`"${g.action}"`),
          ),
          `the regenerated files grant ${g.action} again`,
        );
        assert.deepEqual(await prePush(g.project), { said: '' });
      } finally {
        await moto.stop();
      }
    });
  }
});
