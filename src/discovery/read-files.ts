import fs = require('node:fs');
import path = require('node:path');
import { projectError } from '../errors';
import { noteRead } from './read-log';

/**
 * Reads a JSON file; undefined when it does not exist, a project error when it is not valid JSON.
 * `onlyKey`: the caller uses only this top-level key (the guard's read log hashes just that part).
 */
export function readJsonIfExists(file: string, rootDir?: string, onlyKey?: string): unknown {
  if (onlyKey === undefined) noteRead('file', file);
  else noteRead('json', file, onlyKey);
  let text: string;
  try {
    text = decodeText(fs.readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw projectError(
      `Cannot read ${shown(file, rootDir)}: ${(err as Error).message}`,
      'Check the file permissions.',
      err,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw projectError(
      `${shown(file, rootDir)} is not valid JSON: ${(err as Error).message}`,
      'Fix the file (the Amplify CLI writes it; `git diff` shows recent edits).',
      err,
    );
  }
}

/** Whether the path exists (a file or a folder), noted in the guard's read log. */
export function pathExists(file: string): boolean {
  noteRead('exists', file);
  return fs.existsSync(file);
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const asRecord = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/**
 * A file's bytes as text: UTF-8, or UTF-16 when it starts with a UTF-16 byte-order mark
 * (PowerShell and Windows editors write it); the byte-order mark itself is dropped.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const shown = (file: string, rootDir?: string): string => (rootDir ? path.relative(rootDir, file) : file);
