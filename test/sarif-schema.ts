import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

/**
 * The SARIF 2.1.0 schema (rtm.5, the JSON Schema draft-04 build published on SchemaStore) as
 * shipped by @microsoft/jest-sarif. ajv-draft-04 is Ajv 8 with draft-04 semantics; ajv-formats
 * checks the `uri`/`uri-reference`/`date-time` formats that plain Ajv would ignore.
 */
// Both are CJS: under NodeNext the default import is module.exports, whose `.default` is itself.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// strictRequired: the schema lists `required` names inside anyOf branches, which is valid draft-04.
// unicodeRegExp: the schema's language pattern has a stray `]` that only the `u` flag rejects.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema violations of a SARIF document, as `path message` lines; empty when valid. */
export function sarifSchemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
