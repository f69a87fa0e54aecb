/**
 * A small YAML emitter for the files we generate (compose, Prometheus, Grafana provisioning).
 * There is no YAML library among our dependencies; emitting is simple where parsing is not.
 * Block style only; every string that a YAML 1.1 or 1.2 reader could take for something else
 * (a number, a boolean, null, a flow or anchor marker, anything with ": " or " #") is written
 * JSON-quoted, which is valid YAML. test/observability/yaml.test.ts round-trips it through a
 * real parser.
 */
export type YamlScalar = string | number | boolean | null;
export type YamlValue = YamlScalar | YamlValue[] | { [key: string]: YamlValue };

// A letter, `_`, `/` or `./` first: `.5`, `.inf` and `.nan` are numbers to a YAML reader.
const PLAIN = /^(?:[A-Za-z_/]|\.\/)[A-Za-z0-9_./-]*$/;
// Words YAML 1.1 readers (go-yaml v2, PyYAML) turn into booleans or null.
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

function scalar(value: YamlScalar): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML: cannot write ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return PLAIN.test(value) && !RESERVED.has(value.toLowerCase()) ? value : JSON.stringify(value);
}

function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !RESERVED.has(name.toLowerCase()) ? name : JSON.stringify(name);
}

function isScalar(value: YamlValue): value is YamlScalar {
  return value === null || typeof value !== 'object';
}

function isEmpty(value: YamlValue): boolean {
  return Array.isArray(value) ? value.length === 0 : !isScalar(value) && Object.keys(value).length === 0;
}

function lines(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [indent + scalar(value)];
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isScalar(item) || isEmpty(item))
        return [`${indent}- ${isScalar(item) ? scalar(item) : Array.isArray(item) ? '[]' : '{}'}`];
      const [first = '', ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(value).flatMap(([name, item]) => {
    if (isScalar(item)) return [`${indent}${key(name)}: ${scalar(item)}`];
    if (isEmpty(item)) return [`${indent}${key(name)}: ${Array.isArray(item) ? '[]' : '{}'}`];
    return [`${indent}${key(name)}:`, ...lines(item, `${indent}  `)];
  });
}

/** The document as YAML text, with an optional leading comment (one `# ` line per line). */
export function toYaml(value: YamlValue, comment?: string): string {
  const head = comment ? comment.split('\n').map((l) => `# ${l}`.trimEnd()) : [];
  return [...head, ...lines(value, '')].join('\n') + '\n';
}
