/**
 * JSON laid out as a person would write it (schema.json is read in review): an object or array that
 * fits in `width` columns stays on one line, `{ "a": 1, "b": 2 }`; a longer one opens, one entry a line.
 * Deterministic and dependency-free, so that a test can compare a generated file byte for byte.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WIDTH = 120;

function inline(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** `value` at `indent`, after `used` columns of its line (the key); +1 for a trailing comma. */
function layout(value: Json, indent: string, used: number, width: number): string {
  const one = inline(value);
  if (value === null || typeof value !== 'object' || used + one.length + 1 <= width) return one;
  const inner = `${indent}  `;
  const lines = Array.isArray(value)
    ? value.map((v) => inner + layout(v, inner, inner.length, width))
    : Object.entries(value).map(([k, v]) => {
        const key = `${inner}${JSON.stringify(k)}: `;
        return key + layout(v, inner, key.length, width);
      });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return lines.length === 0 ? `${open}${close}` : `${open}\n${lines.join(',\n')}\n${indent}${close}`;
}

export function layoutJson(value: Json, width = WIDTH): string {
  return layout(value, '', 0, width) + '\n';
}
