// State root layout: <root>/<id>/{state.json, exec.fifo, .lock}.
// The id directory is created with a non-recursive mkdir, so of two
// concurrent `create`s with one id exactly one wins (runc does the same).
import * as fs from 'fs';
import * as path from 'path';
import { NotFoundError, StateError } from '../errors';
import { isValidId, validateId } from '../ids';
import { ContainerRecord } from './record';

export { ContainerRecord } from './record';

export const STATE_FILE = 'state.json';
export const EXEC_FIFO = 'exec.fifo';
export const LOCK_FILE = '.lock';

const NOT_EXIST = 'container does not exist';

export function stateDir(root: string, id: string): string {
  return path.join(root, validateId(id));
}

/** Creates <root> (0700, recursive) and <root>/<id> (0711: hooks and exec read through it). */
export function createStateDir(root: string, id: string): string {
  const dir = stateDir(root, id);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  try {
    fs.mkdirSync(dir, { mode: 0o711 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StateError('container with given ID already exists');
    throw e;
  }
  return dir;
}

let tempCounter = 0;

/**
 * A temp file of this process's own: pid and counter, no randomness needed
 * (the root is 0700). One left by a killed writer whose pid came back is
 * skipped, never reused ('wx').
 */
function openTemp(dir: string): { tmp: string; fd: number } {
  for (;;) {
    const tmp = path.join(dir, `.${STATE_FILE}.${process.pid}.${++tempCounter}`);
    try {
      return { tmp, fd: fs.openSync(tmp, 'wx', 0o600) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Atomic replace: a temp file of our own in the same dir ('wx'), then rename.
 * Not fsynced, as runc and crun do not: the state describes live processes,
 * and after a crash none of them is left (status then reads "stopped" from
 * the recorded pid and start time, and delete removes it). On a disk-backed
 * root the fsyncs cost 2-4 ms per write.
 */
export function writeState(dir: string, record: ContainerRecord): void {
  const { tmp, fd } = openTemp(dir);
  try {
    try {
      fs.writeSync(fd, JSON.stringify(record));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(dir, STATE_FILE));
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function parseRecord(text: string, id: string): ContainerRecord {
  const record = JSON.parse(text) as ContainerRecord;
  if (typeof record !== 'object' || record === null || record.id !== id) {
    throw new SyntaxError(`state of ${id} names another container`);
  }
  return record;
}

/**
 * Reads <root>/<id>/state.json. Missing → NotFoundError with runc's phrase.
 * A parse failure is retried once (a reader racing a writer that does not
 * rename, e.g. a foreign tool), then reported.
 */
export function readState(root: string, id: string): ContainerRecord {
  const file = path.join(stateDir(root, id), STATE_FILE);
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new NotFoundError(NOT_EXIST);
      throw e;
    }
    try {
      return parseRecord(text, id);
    } catch (e) {
      if (attempt >= 1) throw new StateError(`invalid state of container ${id}: ${(e as Error).message}`);
    }
  }
}

/** Every container with a readable record, by id; dirs without state.json (mid-create) are skipped. */
export function listStates(root: string): ContainerRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const records: ContainerRecord[] = [];
  for (const name of names.filter(isValidId).sort()) {
    try {
      records.push(readState(root, name));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return records;
}

/** unlink(2), a missing file being fine (fs.rmSync loads its recursive remover for this). */
export function removeIfExists(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * The directory holds only files (state, fifo, lock): unlinked one by one,
 * which costs a fraction of fs.rmSync's recursive walk; anything unexpected
 * (a directory inside, a concurrent removal) falls back to it.
 */
export function removeStateDir(root: string, id: string): void {
  const dir = stateDir(root, id);
  try {
    for (const name of fs.readdirSync(dir)) fs.unlinkSync(path.join(dir, name));
    fs.rmdirSync(dir);
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
