// org.systemd.property.<Name> annotations become unit properties, as runc
// passes them (specconv initSystemdProps): the name is letters only, the
// value is GVariant text ("uint64 123", "'inactive-or-failed'", "true"),
// and a <Name>Sec (a lowercase letter before "Sec") is seconds, sent as
// <Name>USec microseconds. Only the GVariant forms a unit property takes
// are read (booleans, numbers with an optional type keyword or @type,
// strings, string arrays); anything else refuses the create, naming it.
import { ConfigError } from '../../errors';
import type { UnitProperty } from './unit-property';

export const PROPERTY_ANNOTATION = 'org.systemd.property.';

const INT_TYPES: Record<string, { sig: string; min: bigint; max: bigint }> = {
  byte: { sig: 'y', min: 0n, max: 255n },
  int16: { sig: 'n', min: -(2n ** 15n), max: 2n ** 15n - 1n },
  uint16: { sig: 'q', min: 0n, max: 2n ** 16n - 1n },
  int32: { sig: 'i', min: -(2n ** 31n), max: 2n ** 31n - 1n },
  uint32: { sig: 'u', min: 0n, max: 2n ** 32n - 1n },
  int64: { sig: 'x', min: -(2n ** 63n), max: 2n ** 63n - 1n },
  uint64: { sig: 't', min: 0n, max: 2n ** 64n - 1n },
};
const BY_SIG: Record<string, string> = Object.fromEntries(Object.entries(INT_TYPES).map(([k, v]) => [v.sig, k]));

interface Parsed {
  signature: string;
  value: unknown;
}

function parseString(text: string): string | undefined {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text.length < 2 || text[text.length - 1] !== q) return undefined;
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    let c = text[i];
    if (c === q) return undefined;
    if (c === '\\') {
      c = text[++i];
      if (c === undefined || i === text.length - 1) return undefined;
      c = ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c;
    }
    out += c;
  }
  return out;
}

function parseNumber(text: string, typeName: string | undefined): Parsed | undefined {
  if (typeName === 'double' || (!typeName && /[.eE]/.test(text))) {
    const d = Number(text);
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(d) ? { signature: 'd', value: d } : undefined;
  }
  if (!/^[-+]?\d+$/.test(text)) return undefined;
  const t = INT_TYPES[typeName ?? 'int32'];
  if (!t) return undefined;
  const n = BigInt(text);
  if (n < t.min || n > t.max) return undefined;
  return { signature: t.sig, value: t.sig === 'x' || t.sig === 't' ? n : Number(n) };
}

function parseStringArray(text: string): Parsed | undefined {
  const inner = text.slice(1, -1);
  if (inner.trim() === '') return { signature: 'as', value: [] };
  const item = /\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*/y;
  const items: string[] = [];
  for (let i = 0; ; i++) {
    item.lastIndex = i;
    const m = item.exec(inner);
    const s = m ? parseString(m[1]) : undefined;
    if (s === undefined) return undefined;
    items.push(s);
    i = item.lastIndex;
    if (i === inner.length) return { signature: 'as', value: items };
    if (inner[i] !== ',') return undefined;
  }
}

/** The GVariant text forms a unit property takes; undefined when the text is not one of them. */
export function parseGVariant(text: string): Parsed | undefined {
  let t = text.trim();
  let typeName: string | undefined;
  const annotated = /^@(\S+)\s+(.*)$/s.exec(t);
  if (annotated) {
    if (annotated[1] === 'as' && annotated[2].trim().startsWith('[')) return parseStringArray(annotated[2].trim());
    typeName = annotated[1] === 'd' ? 'double' : BY_SIG[annotated[1]];
    if (!typeName) return undefined;
    t = annotated[2].trim();
  } else {
    const keyword = /^(byte|int16|uint16|int32|uint32|int64|uint64|double)\s+(.*)$/s.exec(t);
    if (keyword) [, typeName, t] = keyword;
  }
  if (!typeName) {
    if (t === 'true' || t === 'false') return { signature: 'b', value: t === 'true' };
    const s = parseString(t);
    if (s !== undefined) return { signature: 's', value: s };
    if (t.startsWith('[') && t.endsWith(']')) return parseStringArray(t);
  }
  return parseNumber(t, typeName);
}

function secToUSec(p: Parsed): Parsed | undefined {
  switch (p.signature) {
    case 'd':
      return { signature: 't', value: BigInt(Math.round((p.value as number) * 1e6)) };
    case 'x':
    case 't':
      return { signature: 't', value: (p.value as bigint) * 1000000n };
    case 'y':
    case 'n':
    case 'q':
    case 'i':
    case 'u':
      return { signature: 't', value: BigInt(p.value as number) * 1000000n };
    default:
      return undefined;
  }
}

/** Every org.systemd.property.* annotation as a unit property, in the annotations' order. */
export function annotationProperties(annotations: Record<string, string> | undefined): UnitProperty[] {
  const props: UnitProperty[] = [];
  for (const [key, text] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(PROPERTY_ANNOTATION)) continue;
    let name = key.slice(PROPERTY_ANNOTATION.length);
    const field = `annotations.${key}`;
    if (name.length < 3 || !/^[A-Za-z]+$/.test(name)) throw new ConfigError(`annotation ${key} name incorrect: letters only, at least 3`, undefined, field);
    let value = parseGVariant(text);
    if (!value) throw new ConfigError(`annotation ${key}=${text} value parse error: not a GVariant boolean, number, string or string array`, undefined, field);
    const trimmed = name.slice(0, -3);
    if (name.endsWith('Sec') && /[a-z]$/.test(trimmed)) {
      const usec = secToUSec(value);
      if (!usec || (usec.value as bigint) < 0n) throw new ConfigError(`annotation ${key}=${text}: seconds must be a non-negative number`, undefined, field);
      value = usec;
      name = `${trimmed}USec`;
    }
    props.push({ name, signature: value.signature, value: value.value });
  }
  return props;
}
