// Reads <bundle>/config.json: JSON syntax, then the spec's JSON schema (the
// validator is generated at build time by scripts/gen-validator.js), then the
// semantic checks of validate.ts. Every failure is a ConfigError naming the
// file and the field; the schema's errors are all reported at once, one line
// each.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../errors';
import type { Spec } from './types';
import { fieldError, fieldErrors } from './field-error';
import { schemaProblems } from './schema-problems';
import { validateConfig } from './validate';
import { jsonErrorOffset } from './json-error-offset';
import type { ConfigSchemaValidator } from './config-validator';

export interface LoadedConfig {
  config: Spec;
  /** Absolute path of the config.json that was read. */
  configPath: string;
}

export interface LoadOptions {
  /** Run validate.ts's checks too (default true); `false` stops after the schema. */
  semantic?: boolean;
}

export function loadConfig(bundleDir: string, options: LoadOptions = {}): LoadedConfig {
  const bundle = path.resolve(bundleDir);
  checkBundle(bundle);
  const configPath = path.join(bundle, 'config.json');
  const config = parseJson(readConfig(configPath), configPath);
  checkSchema(config, configPath);
  if (options.semantic !== false) validateConfig(config as Spec, { bundle, configPath });
  return { config: config as Spec, configPath };
}

function checkBundle(bundle: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(bundle);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`bundle ${bundle}: ${code === 'ENOENT' ? 'no such directory' : code}`, bundle);
  }
  if (!st.isDirectory()) throw new ConfigError(`bundle ${bundle}: not a directory`, bundle);
}

function readConfig(configPath: string): string {
  try {
    return fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
    throw new ConfigError(`${configPath}: ${why}`, configPath);
  }
}

/** Line and column (both 1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseJson(text: string, configPath: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const raw = (e as Error).message;
    // V8 reports "... in JSON at position N" (Node 20, and newer V8 appends
    // "(line L column C)"), or "Unexpected token 'x', "<snippet>" is not
    // valid JSON" with no position, or nothing for an early end.
    const at = /line (\d+) column (\d+)/.exec(raw);
    const pos = /at position (\d+)/.exec(raw);
    const where = at ? { line: Number(at[1]), column: Number(at[2]) }
      : lineColumn(text, pos ? Number(pos[1]) : jsonErrorOffset(text));
    const reason = raw
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/\s*in JSON at position \d+/, '')
      .split(/, (?:"|\.\.\.)[\s\S]* is not valid JSON$/)[0]
      .replace(/\n/g, '\\n');
    throw new ConfigError(`${configPath}: invalid JSON at line ${where.line} column ${where.column}: ${reason}`,
      configPath);
  }
}

let schemaValidator: ConfigSchemaValidator | undefined;

export function loadSchemaValidator(): ConfigSchemaValidator {
  if (!schemaValidator) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      schemaValidator = (require('./config-validator') as { default: ConfigSchemaValidator }).default;
    } catch (e) {
      throw new Error('dist/spec/config-validator.js is missing: run `npm run build:ts` (scripts/gen-validator.js)',
        { cause: e });
    }
  }
  return schemaValidator;
}

function checkSchema(config: unknown, configPath: string): void {
  const validate = loadSchemaValidator();
  if (validate(config)) return;
  const problems = schemaProblems(validate.errors ?? []);
  if (!problems.length) throw fieldError(configPath, '/', 'does not match the config schema');
  throw fieldErrors(configPath, problems);
}
