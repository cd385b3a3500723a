// Reads the process.json of `exec --process`: one OCI process object,
// checked against the process part of the spec's schema and by the same
// semantic checks as config.json's process. Errors name the file and field.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../errors';
import type { Process } from './types';
import { fieldError, fieldErrors } from './field-error';
import { loadSchemaValidator, parseJson } from './load';
import { schemaProblems } from './schema-problems';
import { checkProcess } from './validate';

export function loadProcessFile(file: string): Process {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${abs}: ${code === 'ENOENT' ? 'no such file' : code}`, abs);
  }
  const process = parseJson(text, abs);
  if (typeof process !== 'object' || process === null || Array.isArray(process)) {
    throw fieldError(abs, '/', 'must be a process object');
  }
  checkProcessSchema(process, abs);
  checkProcess(process as Process, (field, message) => {
    throw fieldError(abs, field.replace(/^\/process/, '') || '/', message);
  });
  return process as Process;
}

// The generated validator knows whole configs only: wrap the process in the
// smallest valid one and report its /process/... errors as the file's own.
function checkProcessSchema(process: object, file: string): void {
  const validate = loadSchemaValidator();
  if (validate({ ociVersion: '1.3.0', root: { path: 'rootfs' }, process })) return;
  const problems = schemaProblems(validate.errors ?? [])
    .map((p) => ({ field: p.field.replace(/^\/process/, '') || '/', message: p.message }));
  if (!problems.length) throw fieldError(file, '/', 'does not match the process schema');
  throw fieldErrors(file, problems);
}
