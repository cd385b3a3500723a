'use strict';
// Counts the JS objects that were made after a mark and are still alive: a
// leak keeps what each lifecycle made, V8's own heap sizing and compiled
// code do not count. Heap snapshot node ids grow monotonically within an
// isolate, so "made after the mark" is "id above the highest id at the
// mark". Used by scripts/bench-library.js and the library growth test.
const fs = require('fs');
const os = require('os');
const path = require('path');
const v8 = require('v8');

/** The snapshot's nodes as [id, type, name] for each object, after two full gcs (needs --expose-gc). */
function heapNodes() {
  global.gc();
  global.gc();
  const file = v8.writeHeapSnapshot(path.join(os.tmpdir(), `ts-oci-heap-${process.pid}.heapsnapshot`));
  try {
    const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
    const meta = snap.snapshot.meta;
    const width = meta.node_fields.length;
    const [idAt, typeAt, nameAt] = ['id', 'type', 'name'].map((f) => meta.node_fields.indexOf(f));
    const out = [];
    for (let i = 0; i < snap.nodes.length; i += width) {
      out.push([snap.nodes[i + idAt], meta.node_types[0][snap.nodes[i + typeAt]], snap.strings[snap.nodes[i + nameAt]]]);
    }
    return out;
  } finally {
    fs.unlinkSync(file); // (not fs.rmSync: loading its remover would show as growth)
  }
}

// What a leak in our code would keep. Node's embedder ("native") nodes carry
// address-based ids, outside V8's sequence: never part of the mark.
const JS_TYPES = new Set(['object', 'closure', 'string', 'array', 'regexp', 'number']);

/** A mark: the highest id of a JS object alive now. */
function heapMark() {
  return heapNodes().reduce((max, [id, type]) => (JS_TYPES.has(type) ? Math.max(max, id) : max), 0);
}

/** Objects (not code, not V8's internals) made after `mark` and alive now, by constructor name. */
function survivorsSince(mark) {
  const byName = {};
  let total = 0;
  for (const [id, type, name] of heapNodes()) {
    if (id <= mark || !JS_TYPES.has(type)) continue;
    byName[name] = (byName[name] || 0) + 1;
    total++;
  }
  return { total, byName };
}

module.exports = { heapMark, survivorsSince };
