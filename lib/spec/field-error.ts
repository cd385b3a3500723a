// Every config problem reaches the user as one line naming the file and the
// JSON-pointer of the field: "/b/config.json: /process/args: must be array".
import { ConfigError } from '../errors';

export function fieldError(file: string, field: string, message: string): ConfigError {
  return new ConfigError(`${file}: ${field}: ${message}`, file, field);
}
