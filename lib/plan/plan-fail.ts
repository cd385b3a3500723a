// How the plan builder reports a config it cannot turn into a plan: a
// ConfigError naming <bundle>/config.json and the field.
import * as path from 'path';
import { fieldError } from '../spec/field-error';

export type PlanFail = (field: string, message: string) => never;

export function planFail(bundle: string): PlanFail {
  const file = path.join(bundle, 'config.json');
  return (field, message) => {
    throw fieldError(file, field, message);
  };
}
