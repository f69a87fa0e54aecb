/**
 * Reads a callgrind output file (format: valgrind's docs/callgrind-format): the total instruction count
 * of the dump and, per function, its own (self) and inclusive cost. Pure: text in, numbers out.
 *
 * Names are merged across what callgrind tells apart and we do not want to: recursion levels (`foo'2`),
 * and JIT code, named by its entry address, through `resolve` (the perf map, perf-map.ts), so that
 * base and head, whose code sits at different addresses, name a JS function alike.
 */

export interface FunctionCost {
  selfIr: number;
  /** Self plus calls to other functions. Meaningless for mutually recursive code (V8's call builtins): can exceed the total. */
  inclusiveIr: number;
}

export interface CallgrindProfile {
  totalIr: number;
  functions: Map<string, FunctionCost>;
  /**
   * Per function matched by `entries` (parseCallgrind's third argument): the inclusive cost of the calls
   * into it from functions the pattern does not match. A call from inside the set (recursion, one entry
   * calling another) is not added again, so that the sum over the map counts nested work once.
   */
  entryIr: Map<string, number>;
}

/** What an unnamed address is called when the perf map does not cover it. */
export const UNNAMED_JIT = '(JIT code outside the perf map)';

const ADDRESS_NAME = /^0x([0-9a-f]+)$/i;

export function parseCallgrind(
  text: string,
  resolve: (addr: number) => string | undefined = () => undefined,
  entries?: RegExp,
) {
  const names = new Map<string, string>(); // "(id)" → name, per kind of line (fn and cfn share ids)
  let totalIr: number | undefined;
  let summedIr = 0;
  const functions = new Map<string, FunctionCost>();
  const entryIr = new Map<string, number>();
  let currentIsEntry = false;
  const isEntryMemo = new Map<string, boolean>();
  const isEntry = (name: string) => {
    let v = isEntryMemo.get(name);
    if (v === undefined) isEntryMemo.set(name, (v = entries?.test(name) ?? false));
    return v;
  };
  const nameOf = (raw: string): string => {
    const m = /^\((\d+)\)(?:\s(.*))?$/.exec(raw);
    let name = raw;
    if (m) {
      if (m[2] !== undefined) names.set(m[1]!, m[2]);
      name = names.get(m[1]!) ?? `(fn ${m[1]})`;
    }
    name = name.replace(/'\d+$/, '');
    const addr = ADDRESS_NAME.exec(name);
    return addr ? (resolve(parseInt(addr[1]!, 16)) ?? UNNAMED_JIT) : name;
  };
  const costOf = (name: string) => {
    let c = functions.get(name);
    if (!c) functions.set(name, (c = { selfIr: 0, inclusiveIr: 0 }));
    return c;
  };
  let current: FunctionCost | undefined;
  let currentName = '';
  let callee: string | undefined; // set by cfn=, used by the calls= line's cost line
  let callCostNext = false;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const c = line.charCodeAt(0);
    const isCost = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42; // digit, +, -, *
    if (isCost) {
      const ir = Number(line.split(' ')[1] ?? 0);
      if (!current) continue;
      if (callCostNext) {
        callCostNext = false;
        if (callee !== currentName) current.inclusiveIr += ir;
        if (callee !== undefined && !currentIsEntry && isEntry(callee))
          entryIr.set(callee, (entryIr.get(callee) ?? 0) + ir);
        continue;
      }
      current.selfIr += ir;
      current.inclusiveIr += ir;
      summedIr += ir;
      continue;
    }
    if (line.startsWith('fn=')) {
      currentName = nameOf(line.slice(3));
      current = costOf(currentName);
      currentIsEntry = isEntry(currentName);
    } else if (line.startsWith('cfn=')) callee = nameOf(line.slice(4));
    else if (line.startsWith('calls=')) callCostNext = true;
    else if (line.startsWith('totals:')) totalIr = Number(line.slice(7).trim());
  }
  return { totalIr: totalIr ?? summedIr, functions, entryIr } satisfies CallgrindProfile;
}
