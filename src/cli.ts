#!/usr/bin/env node
/**
 * The standalone bin, `amplify-least-privilege <command>`, for CI pipelines without the
 * Amplify CLI. Same commands as the plugin; --project-dir chooses the project.
 */
import fs = require('node:fs');
import { parseArgs } from 'node:util';
import { runCommand } from '../commands/index';
import { asLeastPrivilegeError, errorParagraph, usageError } from './errors';
import type { Invocation } from './invocation';

const OPTIONS = {
  'project-dir': { type: 'string' },
  out: { type: 'string' },
  phases: { type: 'string' },
  env: { type: 'string' },
  'permissions-boundary': { type: 'string' },
  'cdk-out': { type: 'string' },
  template: { type: 'string', multiple: true },
  account: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  diff: { type: 'boolean' },
  attach: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  profile: { type: 'string' },
  user: { type: 'string' },
  role: { type: 'string' },
  group: { type: 'string' },
  verify: { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  mode: { type: 'string' },
  hooks: { type: 'boolean' },
  message: { type: 'string' },
  'message-file': { type: 'string' },
  'stack-events': { type: 'boolean' },
  resource: { type: 'string' },
  'allow-outside': { type: 'boolean' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  yes: { type: 'boolean', short: 'y' },
} as const;

export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(
      (err as Error).message,
      'Run `amplify-least-privilege help` for the commands and options.',
    );
  }
  const [command, ...args] = parsed.positionals;
  // --template may be repeated: one comma list, as the Amplify CLI passes it.
  const { template, ...options } = parsed.values;
  return { command, args, options: template ? { ...options, template: template.join(',') } : options };
}

export async function main(argv: readonly string[]): Promise<number> {
  const io = { out: writerTo(1), err: writerTo(2) };
  try {
    return await runCommand(parseInvocation(argv), { io, cwd: process.cwd() }, 'amplify-least-privilege');
  } catch (err) {
    const error = asLeastPrivilegeError(err);
    io.err(errorParagraph(error));
    return error.exitCode;
  }
}

/**
 * Writes to stdout (1) or stderr (2) at once with fs.writeSync, without making
 * process.stdout/stderr: those streams load net and tty, about 2.5 ms of every cold start, for
 * a few lines. When the descriptor would block (EAGAIN: a full non-blocking pipe) the rest, and
 * everything after it, goes through the stream, in order; on Windows the stream always does (it
 * writes the console's own encoding). A reader that went away (EPIPE) gets nothing more.
 */
function writerTo(fd: 1 | 2): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  let closed = false;
  const toStream = (): NodeJS.WriteStream => (stream ??= fd === 1 ? process.stdout : process.stderr);
  if (process.platform === 'win32') toStream();
  return (text) => {
    if (closed) return;
    if (stream) return void stream.write(text);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') closed = true;
      else if (code === 'EAGAIN') toStream().write(bytes.subarray(written));
      else throw err;
    }
  };
}

/** The last resort: whatever escapes (a callback, a stream) is one paragraph and exit 1, never a stack trace. */
function exitOnUnexpected(err: unknown): void {
  process.stderr.write(errorParagraph(asLeastPrivilegeError(err)));
  process.exit(1);
}

if (require.main === module) {
  process.on('uncaughtException', exitOnUnexpected);
  process.on('unhandledRejection', exitOnUnexpected);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
