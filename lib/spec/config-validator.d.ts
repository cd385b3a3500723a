// Typings of dist/spec/config-validator.js, the standalone ajv validator that
// scripts/gen-validator.js generates from schema/config-schema.json at build
// time (the schema is never compiled at runtime). The generator copies this
// file next to the generated module.

export interface SchemaError {
  /** JSON pointer of the offending value, "" for the document itself. */
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface ConfigSchemaValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

declare const validate: ConfigSchemaValidator;
export default validate;
