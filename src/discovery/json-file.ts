import fs = require('node:fs');

/** A JSON file's value, its absence, or why it is not JSON (never noted in the read log: for the guard's own files). */
export type JsonRead = { readonly absent: true } | { readonly value: unknown } | { readonly error: string };

/** A JSON file: its value, its absence, or why it is not JSON. */
export function readJsonFile(file: string): JsonRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { absent: true };
    return { error: `cannot be read (${code ?? (err as Error).message})` };
  }
  try {
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (err) {
    return { error: `is not valid JSON (${(err as Error).message})` };
  }
}

/** The parsed file; undefined when it is absent or not JSON (for the machine-local cache only). */
export function readJsonOrUndefined(file: string): unknown {
  const read = readJsonFile(file);
  return 'value' in read ? read.value : undefined;
}
