import type { TSchema } from '@sinclair/typebox';
import { CeilingsSchema, DbCeilingSchema, HttpCeilingSchema, MachineFingerprintSchema } from './ceilings.ts';
import { CellSchema, CellSummarySchema, EstimateSchema } from './cell.ts';
import { WindowCpuSchema, WindowProfileSchema } from './cpu.ts';
import { FaultEventSchema, ResilienceFiguresSchema, TimelineSecondSchema } from './faults.ts';
import { RssSeriesSchema } from './memory.ts';
import { isoTime } from './schema-kit.ts';
import { LatencyUsSchema, RoundSchema } from './round.ts';
import { layoutJson, type Json } from './json-layout.ts';
import { EnvironmentSchema, FailedWindowSchema, ResultsSchema, RunProgressSchema, SCHEMA_VERSION } from './types.ts';

export const SCHEMA_ID = 'https://github.com/jobbench/jobbench/bench/results/schema.json';

/** The named parts of the document (`$defs`): each written once, referred to wherever it occurs. */
const DEFS: Record<string, TSchema> = {
  isoTime,
  environment: EnvironmentSchema,
  cell: CellSchema,
  summary: CellSummarySchema,
  estimate: EstimateSchema,
  round: RoundSchema,
  latencyUs: LatencyUsSchema,
  windowCpu: WindowCpuSchema,
  windowProfile: WindowProfileSchema,
  rssSeries: RssSeriesSchema,
  faultEvent: FaultEventSchema,
  timelineSecond: TimelineSecondSchema,
  resilience: ResilienceFiguresSchema,
  ceilings: CeilingsSchema,
  httpCeiling: HttpCeilingSchema,
  dbCeiling: DbCeilingSchema,
  fingerprint: MachineFingerprintSchema,
  failedWindow: FailedWindowSchema,
  progress: RunProgressSchema,
};

/** The schema as plain JSON: TypeBox's own markers are symbols, which JSON drops. */
const plain = (schema: TSchema): Json => JSON.parse(JSON.stringify(schema)) as Json;

/** `node` with every occurrence of a named part (same JSON) replaced by its $ref, except at `self`. */
function withRefs(node: Json, names: ReadonlyMap<string, string>, self?: string): Json {
  if (Array.isArray(node)) return node.map((n) => withRefs(n, names));
  if (node === null || typeof node !== 'object') return node;
  const name = names.get(JSON.stringify(node));
  if (name !== undefined && name !== self) return { $ref: `#/$defs/${name}` };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withRefs(v, names)]));
}

/**
 * The results file's JSON Schema (2020-12), built from the TypeBox types: what io.ts validates against
 * and what `npm run schema` writes to bench/results/schema.json for readers outside TypeScript.
 */
export function resultsJsonSchema(): { [key: string]: Json } {
  const names = new Map(Object.entries(DEFS).map(([name, schema]) => [JSON.stringify(plain(schema)), name]));
  const $defs = Object.fromEntries(Object.entries(DEFS).map(([name, s]) => [name, withRefs(plain(s), names, name)]));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'jobbench results file',
    description: `One benchmark run: provenance, configuration and every measured cell. Schema version ${SCHEMA_VERSION}. Generated from the TypeBox types of bench/results/ by npm run schema: do not edit. Required fields are strict; extra fields are allowed so that commands can add their own.`,
    ...(withRefs(plain(ResultsSchema), names) as { [key: string]: Json }),
    $defs,
  };
}

/** The text of schema.json: what `npm run schema` writes and a test compares with the committed file. */
export const resultsJsonSchemaText = (): string => layoutJson(resultsJsonSchema());
