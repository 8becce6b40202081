import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeCraftedProject } from '../support/crafted-project';
import { createUser } from '../support/iam-fixture';
import { startMoto, type Moto } from '../support/moto';
import { runBin } from '../support/run-bin';

/** Nothing is written before a usage error or a refused (or impossible) attach question; moto is the IAM. */
describe('command: the policy files are written only once the attach plan is accepted', function () {
  this.timeout(120_000);
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto?.stop());

  const outputs = (project: string): string[] => {
    const dir = path.join(project, 'amplify', 'least-privilege');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };
  const project = (): string =>
    writeCraftedProject({
      resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn-dev' } } },
    });

  it('a usage error of attach comes before anything is computed or written', () => {
    const dir = project();
    const result = runBin(['generate', '--attach', '--user', 'a', '--role', 'b', '--project-dir', dir]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /Give only one of --user, --role and --group/);
    assert.deepEqual(outputs(dir), []);
  });

  it('no terminal to ask, a dry run: no file; --yes: the files, then the state with the attachment', async () => {
    const user = await createUser(moto.endpoint);
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: user.keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.keys.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const dir = project();
    for (const args of [
      ['generate', '--attach'],
      ['attach'],
      ['attach', '--dry-run'],
      ['generate', '--attach', '--dry-run'],
    ]) {
      const result = runBin([...args, '--project-dir', dir], undefined, env);
      assert.ok([0, 2].includes(result.status ?? -1), `${args.join(' ')}: ${result.stderr}`);
      assert.deepEqual(outputs(dir), [], `${args.join(' ')} writes nothing`);
    }
    const applied = runBin(['generate', '--attach', '--yes', '--project-dir', dir], undefined, env);
    assert.equal(applied.status, 0, applied.stderr);
    assert.deepEqual(outputs(dir), [
      'amplify-lp-dev-least-privilege.json',
      'amplify-lp-dev-least-privilege.md',
      'state-dev.json',
    ]);
    const state = JSON.parse(
      fs.readFileSync(path.join(dir, 'amplify', 'least-privilege', 'state-dev.json'), 'utf8'),
    );
    assert.equal(state.attachedTo, `user:${user.name}`);
  });
});
