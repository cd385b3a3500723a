// "0-3,7" lists of CPUs or NUMA nodes (cpuset(7) "List format"), as
// execCPUAffinity and memoryPolicy.nodes give them, into the 64-bit mask
// words that sched_setaffinity(2) and set_mempolicy(2) take.

/** Highest CPU or node number accepted: the mask is at most 1024 words. */
export const MAX_ID = 65535;

/** The ids of a list, ascending; throws a message (no field) on bad syntax. */
export function parseIdList(list: string): number[] {
  const ids = new Set<number>();
  for (const part of list.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) throw new Error(`invalid list ${JSON.stringify(list)}: expected numbers and ranges such as "0-3,7"`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`invalid range "${part.trim()}" in ${JSON.stringify(list)}`);
    if (hi > MAX_ID) throw new Error(`${hi} in ${JSON.stringify(list)} is above the maximum ${MAX_ID}`);
    for (let i = lo; i <= hi; i++) ids.add(i);
  }
  return [...ids].sort((a, b) => a - b);
}

/** 64-bit little-endian words with bit `id` set for each id; at least one word. */
export function idMaskWords(ids: readonly number[]): bigint[] {
  const words: bigint[] = [0n];
  for (const id of ids) {
    const w = Math.floor(id / 64);
    while (words.length <= w) words.push(0n);
    words[w] |= 1n << BigInt(id % 64);
  }
  return words;
}
