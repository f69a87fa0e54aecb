/**
 * The Lua script of one wrk window (Debian's wrk 4.1, LuaJIT), generated from a precomputed request
 * list (wrk-requests.ts). Pure: text in, text out.
 *
 * - A list of one and the same request (health, stats) is not stepped through at all: the script sets
 *   wrk.method, wrk.path (and the body) at load time and defines no request(), so wrk builds the request
 *   once per thread and sends that buffer, exactly as plain wrk does, with no Lua call per request.
 * - Otherwise the list is embedded as one long string of `METHOD \t PATH \t BODY` lines; each thread's init()
 *   formats it once into raw HTTP requests, so request() only steps a cursor (no per-request
 *   formatting). Thread k starts at offset k × length / threads, so threads do not send the same
 *   request at the same moment.
 * - done() first prints WRK_MARKERS.end on stderr and waits for a line on stdin: the runner reads
 *   wrk's CPU from /proc at that moment, before the export below costs any. Then it writes the
 *   summary, the error counts and every distinct latency (µs) with its count to the export file.
 *   latency(i) scans wrk's table from min on every call (src/stats.c stats_value_at), so the export
 *   takes about distinct values × (max − min µs) steps of ~1 ns: well under a second for tails of a few
 *   hundred ms, but tens of seconds if the max reaches seconds. It runs after the load and outside the
 *   measured CPU; only the wall time of the window grows.
 * - With `statusCodes`, a response() callback counts codes per thread; it costs generator CPU per
 *   request (measured in wrk.ts), so it is off by default.
 * - With `timeline` (a faulted window), response() instead counts by 100 ms bucket of the wall clock
 *   and status (one flat table per thread, key = bucket × 1000 + status, since thread:get copies flat
 *   tables of numbers), and keeps the first and last failing response's time in ms; the clock is
 *   gettimeofday through LuaJIT's ffi (Lua's os.time() has whole seconds only). The start marker then
 *   carries the same clock's ms, so the harness places the buckets against the window's start.
 *   Costs a little more than `statusCodes` (a clock read per response): +5% on a bare server, +10% on the
 *   API's /health, no measurable throughput (docs/readme/performance.md, scripts/generator-cost.ts).
 */
import type { GeneratedRequest } from '../../../scenarios/catalog.ts';

export const WRK_MARKERS = {
  start: 'jobbench:wrk-started', // printed by the last thread's init(): every thread is loaded
  end: 'jobbench:wrk-done', // printed by done(): the load has stopped, nothing exported yet
} as const;

export interface WrkScriptOptions {
  requests: readonly GeneratedRequest[];
  threads: number;
  exportPath: string;
  statusCodes?: boolean; // count status codes with a response() callback (costs throughput)
  timeline?: boolean; // count responses per 100 ms and status (implies status codes; costs more)
}

/** LuaJIT's ffi clock: wall-clock ms, the same clock Node's Date.now() and wrk's own time_us() read. */
const CLOCK = `local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } jobbench_timeval;
int gettimeofday(jobbench_timeval *tv, void *tz);
]]
local tv = ffi.new("jobbench_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end
`;

const TIMELINE_RESPONSE = `
jobbench_buckets, jobbench_first_failed, jobbench_last_failed = {}, -1, -1
function response(status, headers, body)
  local t = now_ms()
  local key = math.floor(t / 100) * 1000 + status
  jobbench_buckets[key] = (jobbench_buckets[key] or 0) + 1
  if status < 200 or status > 399 then
    if jobbench_first_failed < 0 then jobbench_first_failed = t end
    jobbench_last_failed = t
  end
end
`;

const TIMELINE_EXPORT = `
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("jobbench_buckets")) do
      f:write(string.format("bucket %.0f %.0f\\n", key, n))
    end
    f:write(string.format("failed %.0f %.0f\\n", thread:get("jobbench_first_failed"), thread:get("jobbench_last_failed")))
  end`;

/** A Lua string literal (double-quoted, escaped) for short values such as paths of files. */
function luaString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\x00-\x1f]/g, (c) => `\\${c.charCodeAt(0)}`)}"`;
}

/** The request list as lines; tabs and newlines cannot occur (paths are URL-encoded, bodies are JSON). */
export function requestLines(requests: readonly GeneratedRequest[]): string {
  return requests
    .map((r) => {
      const line = `${r.method}\t${r.path}\t${r.body ?? ''}`;
      if (/[\n\r]/.test(line) || line.split('\t').length !== 3)
        throw new Error(`wrk: request ${r.method} ${r.path} holds a tab or newline and cannot be embedded`);
      return line;
    })
    .join('\n');
}

/** A Lua long string [==[ … ]==] whose level does not occur in the text. */
function longString(text: string): string {
  let level = 0;
  while (text.includes(`]${'='.repeat(level)}]`)) level++;
  const eq = '='.repeat(level);
  return `[${eq}[\n${text}\n]${eq}]`; // Lua skips a newline right after the opening bracket
}

/** The one request of a list that repeats it (health, stats), or undefined. */
export function staticRequest(requests: readonly GeneratedRequest[]): GeneratedRequest | undefined {
  const [first] = requests;
  return first && requests.every((r) => r.method === first.method && r.path === first.path && r.body === first.body)
    ? first
    : undefined;
}

/** wrk's own static request: set once at load time, no request() function (wrk then never calls Lua per request). */
function staticPart(r: GeneratedRequest, start: string): string {
  return `wrk.method = ${luaString(r.method)}
wrk.path = ${luaString(r.path)}
${r.body === undefined ? '' : `wrk.body = ${luaString(r.body)}\nwrk.headers["Content-Type"] = "application/json"\n`}
function init(args)
  if jobbench_index == THREADS - 1 then
    ${start}
  end
end
`;
}

/** The list formatted once per thread in init(), stepped through by request(). */
function dynamicPart(requests: readonly GeneratedRequest[], start: string): string {
  return `local DATA = ${longString(requestLines(requests))}
local requests, count, cursor = {}, 0, 0
function init(args)
  for method, path, body in DATA:gmatch("([^\\t\\n]+)\\t([^\\t\\n]+)\\t([^\\n]*)") do
    local headers = {}
    if body ~= "" then
      headers["Content-Type"] = "application/json"
      requests[#requests + 1] = wrk.format(method, path, headers, body)
    else
      requests[#requests + 1] = wrk.format(method, path, headers)
    end
  end
  DATA = nil
  count = #requests
  cursor = math.floor(jobbench_index * count / THREADS)
  if jobbench_index == THREADS - 1 then
    ${start}
  end
end

function request()
  cursor = cursor + 1
  if cursor > count then cursor = 1 end
  return requests[cursor]
end
`;
}

export function wrkScript(opts: WrkScriptOptions): string {
  if (opts.requests.length === 0) throw new Error('wrk: an empty request list');
  const timeline = opts.timeline === true;
  const counting = opts.statusCodes === true && !timeline; // the timeline's buckets hold the codes
  const fixed = staticRequest(opts.requests);
  const start = `io.stderr:write("${WRK_MARKERS.start}"${timeline ? ` .. string.format(" %.0f", now_ms())` : ''} .. "\\n")
    io.stderr:flush()`;
  return `-- Generated by jobbench (bench/runners/wrk/lua.ts): ${fixed ? '1 static request' : `${opts.requests.length} requests`}, ${opts.threads} thread(s).
local THREADS = ${opts.threads}
local EXPORT_PATH = ${luaString(opts.exportPath)}
${timeline ? CLOCK : ''}
local threads = {}
function setup(thread)
  thread:set("jobbench_index", #threads)
  table.insert(threads, thread)
end
${fixed ? staticPart(fixed, start) : dynamicPart(opts.requests, start)}${timeline ? TIMELINE_RESPONSE : ''}${
    counting
      ? `
jobbench_codes = {}
function response(status, headers, body)
  jobbench_codes[status] = (jobbench_codes[status] or 0) + 1
end
`
      : ''
  }
function done(summary, latency, requests)
  io.stderr:write("${WRK_MARKERS.end}\\n")
  io.stderr:flush()
  io.read("*l")
  local f = assert(io.open(EXPORT_PATH, "w"))
  local e = summary.errors
  f:write(string.format("summary %.0f %.0f %.0f\\n", summary.duration, summary.requests, summary.bytes))
  f:write(string.format("errors %.0f %.0f %.0f %.0f %.0f\\n", e.connect, e.read, e.write, e.status, e.timeout))
  for i = 1, #latency do
    local value, n = latency(i)
    f:write(string.format("latency %.0f %.0f\\n", value, n))
  end${
    counting
      ? `
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("jobbench_codes")) do
      f:write(string.format("status %d %.0f\\n", status, n))
    end
  end`
      : ''
  }${timeline ? TIMELINE_EXPORT : ''}
  f:write("end\\n")
  f:close()
end
`;
}
