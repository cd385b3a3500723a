// go-runc reads the pid file with Atoi on the raw bytes: no newline, and it
// must appear whole (temp file + rename), before `create` returns.
import * as fs from 'fs';
import * as path from 'path';

export function writePidFile(file: string, pid: number): void {
  const abs = path.resolve(file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, String(pid), { flag: 'wx', mode: 0o644 });
  fs.renameSync(tmp, abs);
}
