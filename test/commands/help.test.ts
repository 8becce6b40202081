import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allCommands, runCommand } from '../../commands/index';

const COMMANDS = allCommands();
import { COMMON_OPTIONS, type Invocation } from '../../src/invocation';
import { ALL_PHASES } from '../../src/model';
import { REPO_ROOT } from '../support/paths';
import { runBin } from '../support/run-bin';

const VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** The `--flag` names of the option lines (`  --name VALUE   text`) of a help text. */
const optionLines = (text: string): string[] =>
  [...text.matchAll(/^ {2}--([a-z-]+)/gm)].map((match) => match[1]).sort();

/** Runs the commands in-process with an invocation shaped as the Amplify CLI hands it over. */
async function runInHost(invocation: Invocation): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (text: string) => void (out += text), err: (text: string) => void (err += text) };
  const code = await runCommand(invocation, { io, cwd: REPO_ROOT }, 'amplify least-privilege');
  return { code, out, err };
}

describe('command: --version', () => {
  it('prints the package.json version and exits 0, whatever the command (--version, -v)', () => {
    for (const args of [['--version'], ['-v'], ['generate', '--version'], ['help', '-v']]) {
      const result = runBin(args);
      assert.equal(result.status, 0, args.join(' '));
      assert.equal(result.stdout, `${VERSION}\n`, args.join(' '));
      assert.equal(result.stderr, '');
    }
  });

  it('prints it for the options the Amplify CLI passes for --version and -v (command help, version: true)', async () => {
    // The shape the real CLI 14.2.2 hands to executeAmplifyCommand for `amplify least-privilege --version`.
    const result = await runInHost({ command: 'help', args: [], options: { version: true, yes: false } });
    assert.deepEqual(result, { code: 0, out: `${VERSION}\n`, err: '' });
  });
});

describe('command: help COMMAND', () => {
  for (const command of COMMANDS) {
    it(`help ${command.name} and ${command.name} --help print its usage and exactly its options`, async () => {
      const help = runBin(['help', command.name]);
      assert.equal(help.status, 0, help.stderr);
      // `help --help` is the top-level help; every other command's --help is its own help.
      if (command.name !== 'help') {
        assert.equal(runBin([command.name, '--help']).stdout, help.stdout);
        const host = await runInHost({
          command: 'help',
          args: ['least-privilege', command.name],
          options: { help: true },
        });
        assert.equal(host.out, help.stdout.replaceAll('amplify-least-privilege', 'amplify least-privilege'));
      }
      assert.ok(help.stdout.startsWith(`Usage: amplify-least-privilege ${command.usage}\n`), help.stdout);
      const own = Object.keys(command.options);
      assert.deepEqual(
        optionLines(help.stdout),
        own.length ? [...own, ...Object.keys(COMMON_OPTIONS)].sort() : [],
      );
      for (const option of own) assert.match(help.stdout, new RegExp(`^ {2}--${option}\\b.*\\S`, 'm'));
      // No option of another command appears anywhere in the text (usage, option texts).
      const others = COMMANDS.flatMap((other) => Object.keys(other.options)).filter(
        (name) => !own.includes(name) && !(name in COMMON_OPTIONS),
      );
      for (const other of others) assert.doesNotMatch(help.stdout, new RegExp(`--${other}\\b`), other);
      assert.equal(help.stdout.includes('Phases ('), own.includes('phases'));
    });
  }

  it('inside the Amplify CLI: `generate --help` arrives as help [least-privilege, generate]', async () => {
    // The shapes the real CLI 14.2.2 hands over for `amplify least-privilege generate --help` and `help generate`.
    const viaFlag = await runInHost({
      command: 'help',
      args: ['least-privilege', 'generate'],
      options: { help: true, yes: false },
    });
    const viaHelp = await runInHost({ command: 'help', args: ['generate'], options: {} });
    assert.equal(viaFlag.code, 0);
    assert.equal(viaFlag.out, viaHelp.out);
    assert.match(viaFlag.out, /^Usage: amplify least-privilege generate \[--out FILE\]/);
    const bare = await runInHost({ command: 'help', args: ['least-privilege'], options: { help: true } });
    assert.match(bare.out, /^Commands:$/m);
  });

  it('help of an unknown command is a usage error (exit 2) that lists the commands', () => {
    const result = runBin(['help', 'deploy']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown command "deploy"/);
    assert.match(result.stderr, /generate, explain, attach, check, configure, learn, help/);
  });
});

describe('command: the top-level help is short', () => {
  it('usage lines, commands, phases, exit codes and the way to a command help, in under 35 lines', () => {
    for (const args of [['help'], ['--help'], []]) {
      const result = runBin(args);
      assert.equal(result.status, 0);
      const text = result.stdout;
      const lines = text.trimEnd().split('\n');
      assert.ok(lines.length < 35, `${lines.length} lines`);
      assert.match(text, /^ {2}amplify-least-privilege COMMAND \[options\]$/m);
      assert.match(text, /^ {2}amplify-least-privilege --version$/m);
      for (const command of COMMANDS)
        assert.ok(text.includes(`  ${command.name.padEnd(10)} ${command.summary}\n`));
      for (const phase of ALL_PHASES) assert.match(text, new RegExp(`^ {2}${phase} +amplify `, 'm'));
      assert.match(text, /^Exit codes: 0 success, 1 failure .*, 2 usage error\.$/m);
      assert.match(text, /help COMMAND` for the options of a command/);
      assert.deepEqual(optionLines(text), [], 'no option lists');
    }
  });
});
