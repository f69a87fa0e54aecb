import { describe, expect, it } from 'vitest';
import { toYaml, type YamlValue } from '../../dashboards/src/yaml.ts';

// A real YAML parser when one is installed (the `yaml` package comes with vite); the emitter is
// also checked line by line below so that the suite does not depend on it.
const yamlParser = await import(['yaml'][0]!).then(
  (m: { parse: (text: string) => unknown }) => m,
  () => null,
);

const TRICKY: [string, YamlValue][] = [
  ['booleans and null as strings', { a: 'true', b: 'no', c: 'on', d: 'null', e: 'Yes', f: 'y' }],
  ['numbers as strings', { a: '3000', b: '1e3', c: '0x10', d: '1_000', e: '.5', f: '08', g: '.inf', h: '.NaN' }],
  ['durations and ports', { interval: '2s', port: '127.0.0.1:3000:3000' }],
  ['paths', { a: './dashboards/prometheus.yml', b: '/etc/prometheus', c: '.hidden', d: '../up' }],
  ['compose interpolation', { cmd: ['${JOBBENCH_JOBS:-100000}', 'testid=${K6_TESTID:-compose}'] }],
  [
    'YAML indicators',
    {
      a: '- x',
      b: '? y',
      c: ': z',
      d: '#not a comment',
      e: 'a # b',
      f: '&anchor',
      g: '*alias',
      h: '!tag',
      i: '|',
      j: '>',
      k: '%x',
      l: '@x',
      m: '`x',
    },
  ],
  ['flow characters', { a: '[1, 2]', b: '{a: 1}', c: 'x,y' }],
  ['quotes and escapes', { a: `it's "quoted"`, b: 'back\\slash', c: 'line\nbreak', d: 'tab\there' }],
  ['empty and spaces', { a: '', b: ' leading', c: 'trailing ', d: 'in side' }],
  ['unicode', { a: 'µs', b: 'é' }],
  ['numbers, booleans, null', { a: 0, b: -1.5, c: 10, d: true, e: false, f: null }],
  ['keys that need quoting', { 'has space': 1, yes: 2, '3000': 3, 'a:b': 4 }],
  ['nesting', { list: [{ a: 1, b: [1, 2] }, [3, 4], [], {}], map: { inner: { deeper: 'x' } }, empty: {}, none: [] }],
];

describe('toYaml', () => {
  it('writes plain scalars where that is unambiguous and quotes the rest', () => {
    expect(toYaml({ name: 'jobbench', image: 'postgres:17.5', on: 'on', count: 3, list: ['a', '-c'] })).toBe(
      ['name: jobbench', 'image: "postgres:17.5"', '"on": "on"', 'count: 3', 'list:', '  - a', '  - "-c"', ''].join(
        '\n',
      ),
    );
  });

  it('writes a list of maps with the first key on the dash line', () => {
    expect(toYaml({ items: [{ a: 1, b: { c: 2 } }] })).toBe(
      ['items:', '  - a: 1', '    b:', '      c: 2', ''].join('\n'),
    );
  });

  it('prefixes the comment lines with #', () => {
    expect(toYaml({ a: 1 }, 'one\ntwo')).toBe('# one\n# two\na: 1\n');
  });

  it('rejects numbers YAML cannot hold', () => {
    expect(() => toYaml({ a: Number.NaN })).toThrow(/cannot write NaN/);
  });

  it.skipIf(!yamlParser).each(TRICKY)('round-trips through a real YAML parser: %s', (_name, value) => {
    expect(yamlParser!.parse(toYaml(value))).toEqual(value);
  });
});
