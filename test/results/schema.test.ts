/** The results schema is built from the TypeBox types; bench/results/schema.json is its generated copy. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { layoutJson, type Json } from '../../bench/results/json-layout.ts';
import { resultsJsonSchema, resultsJsonSchemaText } from '../../bench/results/schema.ts';

const COMMITTED = new URL('../../bench/results/schema.json', import.meta.url);
const fixture = () => JSON.parse(readFileSync(new URL('../fixtures/results-small.json', import.meta.url), 'utf8'));

describe('bench/results/schema.json', () => {
  it('is what npm run schema generates from the types (run it after changing a persisted type)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(resultsJsonSchemaText());
  });

  it('works on its own, as a reader outside TypeScript uses it', () => {
    const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync(COMMITTED, 'utf8')));
    expect(validate(fixture())).toBe(true);
    const broken = fixture();
    delete broken.cells[0].rounds[0].latencyUs.p99;
    expect(validate(broken)).toBe(false);
  });

  it('names each shared part once ($defs) and refers to it', () => {
    const schema = resultsJsonSchema();
    expect(Object.keys(schema['$defs'] as object)).toEqual(expect.arrayContaining(['round', 'cell', 'ceilings']));
    expect(JSON.stringify(schema)).toContain('"items":{"$ref":"#/$defs/round"}');
  });
});

describe('layoutJson', () => {
  const cases: Json[] = [
    null,
    'text',
    [],
    {},
    { a: 1, b: [true, null, 'x'], c: {} },
    { long: Array.from({ length: 40 }, (_, i) => `item-${i}`), nested: { deep: { deeper: [{ x: 1 }, { y: 2 }] } } },
  ];

  it.each(cases)('reads back as the same value: %j', (value) => {
    expect(JSON.parse(layoutJson(value))).toEqual(value);
  });

  it('keeps what fits on one line and opens what does not, within the width', () => {
    const text = layoutJson({ short: [1, 2], long: Array.from({ length: 40 }, (_, i) => i * 1000) }, 60);
    expect(text).toContain('"short": [1, 2]');
    expect(text.split('\n').every((line) => line.length <= 60)).toBe(true);
  });
});
