'use strict';
// Every field path config.json's schema (schema/*.json) defines, for the
// test that the field table classifies them all: "process.user.uid",
// "mounts[].options", "linux.netDevices.*.name" (".*" = any map key).
const fs = require('fs');
const path = require('path');

const schemaDir = path.resolve(__dirname, '../../schema');
const files = new Map();

function load(file) {
  if (!files.has(file)) {
    const p = path.join(schemaDir, file);
    files.set(file, fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')) : null);
  }
  return files.get(file);
}

/** { schema, file } of a $ref, or null for a file this Linux-only copy does not ship. */
function resolve(ref, file) {
  const [refFile, pointer] = ref.split('#');
  const target = refFile || file;
  let node = load(target);
  if (!node) return null;
  for (const part of (pointer || '').split('/').filter(Boolean)) node = node[part];
  return { schema: node, file: target };
}

function walk(schema, file, prefix, out, seen) {
  if (!schema || typeof schema !== 'object') return;
  if (schema.$ref) {
    const key = `${prefix}|${schema.$ref}|${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    const r = resolve(schema.$ref, file);
    if (r) walk(r.schema, r.file, prefix, out, seen);
    return;
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const s of schema[k] ?? []) walk(s, file, prefix, out, seen);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const p = prefix ? `${prefix}.${name}` : name;
    out.add(p);
    walk(sub, file, p, out, seen);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    walk(schema.additionalProperties, file, `${prefix}.*`, out, seen);
  }
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
    void pattern;
    walk(sub, file, `${prefix}.*`, out, seen);
  }
  if (schema.items) walk(schema.items, file, `${prefix}[]`, out, seen);
}

function schemaFieldPaths() {
  const out = new Set();
  walk(load('config-schema.json'), 'config-schema.json', '', out, new Set());
  return [...out].sort();
}

module.exports = { schemaFieldPaths };
