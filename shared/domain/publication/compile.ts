/**
 * Compiling a record's releases into its compiled release, by the OCDS 1.1 merge rules
 * (https://standard.open-contracting.org/1.1/en/schema/merging/), for the fields this service publishes:
 *
 * - releases are merged oldest first; a later value replaces an earlier one;
 * - objects merge field by field, recursively;
 * - an array whose every entry is an object with an `id` merges entry by entry, matched by `id` (entries
 *   keep the order in which their id first appeared); any other array (`roles`, `tag`, strings) is
 *   replaced whole, as are the fields the schema marks `wholeListMerge` (`additionalIdentifiers`,
 *   `additionalClassifications`);
 * - `null` removes a field;
 * - the release-level `id`, `date` and `tag` are not merged (`omitWhenMerged`): the compiled release has
 *   `tag: ["compiled"]`, the date of the latest release and the id `<ocid>-<that date>`.
 */
import type { Release } from './ocds';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const WHOLE_LIST = new Set(['additionalIdentifiers', 'additionalClassifications']);
const OMIT_WHEN_MERGED = new Set(['id', 'date', 'tag']);

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isIdentified = (value: Json[]): value is JsonObject[] =>
  value.length > 0 &&
  value.every((entry) => isObject(entry) && (typeof entry.id === 'string' || typeof entry.id === 'number'));

/** Merges `next` into `into` (a copy), by the rules above. */
function mergeValue(key: string, into: Json | undefined, next: Json): Json {
  if (isObject(next)) return mergeObject(isObject(into) ? into : {}, next);
  if (Array.isArray(next)) {
    if (WHOLE_LIST.has(key) || !isIdentified(next)) return structuredClone(next);
    const merged = new Map<string, Json>();
    if (Array.isArray(into) && isIdentified(into))
      for (const entry of into) merged.set(String(entry.id), entry);
    for (const entry of next) {
      const id = String(entry.id);
      merged.set(id, mergeObject(isObject(merged.get(id)) ? (merged.get(id) as JsonObject) : {}, entry));
    }
    return [...merged.values()];
  }
  return next;
}

function mergeObject(into: JsonObject, next: JsonObject): JsonObject {
  const result: JsonObject = { ...into };
  for (const [key, value] of Object.entries(next)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(key, result[key], value);
  }
  return result;
}

/**
 * The compiled release of one contracting process's releases.
 * @param releases every release of one ocid, in publication order (at least one)
 * @throws Error when there are none, or they are of different processes (a programming error)
 */
export function compileRelease(releases: readonly Release[]): Release {
  const first = releases[0];
  if (!first) throw new Error('A compiled release needs at least one release');
  let merged: JsonObject = {};
  let date = first.date;
  for (const release of releases) {
    if (release.ocid !== first.ocid) throw new Error('Releases of different processes cannot be compiled');
    if (release.date > date) date = release.date;
    const body = Object.fromEntries(
      Object.entries(release as unknown as JsonObject).filter(([key]) => !OMIT_WHEN_MERGED.has(key)),
    );
    merged = mergeObject(merged, body);
  }
  return { ...(merged as unknown as Release), id: `${first.ocid}-${date}`, date, tag: ['compiled'] };
}
