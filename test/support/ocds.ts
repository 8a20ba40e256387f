/**
 * Validates OCDS packages and releases against the official 1.1.5 schemas (`../shared/ocds-1.1.5/`, JSON
 * Schema draft-04, with Ajv and `ajv-draft-04`), with the release-schema patches of the extensions the
 * service uses merged in (JSON Merge Patch, as OCDS tools merge them): Party Scale and Enquiries
 * (`ocds-extensions/`, copied from their repositories) and the service's own VCSE extension. The release
 * package's `$ref` to the release schema's URL resolves to the merged release schema, which is added under
 * that same id. Formats (`date-time`, `uri`) are checked with `ajv-formats`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { VCSE_RELEASE_SCHEMA } from '../../shared/domain/publication/vcse-extension';

const SCHEMAS = join(import.meta.dirname, '..', '..', '..', 'shared', 'ocds-1.1.5');
const EXTENSIONS = join(import.meta.dirname, 'ocds-extensions');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** RFC 7396 JSON Merge Patch: `patch` into a copy of `target`. */
export function mergePatch(target: Json, patch: Json): Json {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const result: { [key: string]: Json } =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

/** The release schema with every extension the service uses merged in. */
export function mergedReleaseSchema(): Json {
  let schema = readJson(join(SCHEMAS, 'release-schema.json'));
  for (const patch of [
    readJson(join(EXTENSIONS, 'party-scale.release-schema.json')),
    readJson(join(EXTENSIONS, 'enquiry.release-schema.json')),
    VCSE_RELEASE_SCHEMA as unknown as Json,
  ]) {
    schema = mergePatch(schema, patch);
  }
  return schema;
}

let validators: { releasePackage: ValidateFunction; release: ValidateFunction } | undefined;

function compile() {
  // Strict mode is off: the OCDS schemas carry their own keywords (codelist, openCodelist, deprecated,
  // omitWhenMerged, wholeListMerge, versionId), which JSON Schema ignores.
  const ajv = new Ajv04({ strict: false, allErrors: true });
  addFormats(ajv);
  const release = mergedReleaseSchema() as { id: string };
  ajv.addSchema(release as object);
  const releasePackage = readJson(join(SCHEMAS, 'release-package-schema.json')) as object;
  return {
    releasePackage: ajv.compile(releasePackage),
    release: ajv.getSchema(release.id) as ValidateFunction,
  };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The schema's complaints about a release package (empty when it is valid). */
export function releasePackageErrors(document: unknown): string[] {
  validators ??= compile();
  return validators.releasePackage(document) ? [] : describeErrors(validators.releasePackage.errors);
}

/** The schema's complaints about one release, or a compiled release (empty when it is valid). */
export function releaseErrors(document: unknown): string[] {
  validators ??= compile();
  return validators.release(document) ? [] : describeErrors(validators.release.errors);
}
