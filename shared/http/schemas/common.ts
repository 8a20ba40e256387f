/**
 * Schemas shared by several routes.
 */
import * as z from 'zod';

/** A ULID, as every id in the service is. */
export const ulidSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Must be a ULID (26 characters, Crockford base32)');

/** The RFC 9457 problem body. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string().optional(),
          row: z.number().int().optional(),
          field: z.string().optional(),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });

/** `?limit=&cursor=` on every list. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional().meta({
    description:
      'The nextCursor of the previous page of this same list (same path and filters); anything else is a 400.',
  }),
});

/** `{ items, nextCursor }` around a list item schema. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A record (an object keyed by the client) of at most `max` entries. JSON Schema says so with
 * `maxProperties`, which zod does not check on its own: the refinement does.
 */
export const boundedRecord = <K extends z.core.$ZodRecordKey, V extends z.ZodType>(
  key: K,
  value: V,
  max: number,
) =>
  z
    .record(key, value)
    .refine((entries) => Object.keys(entries).length <= max, `Give at most ${max} entries`)
    .meta({ maxProperties: max });

/**
 * The names `Object.prototype` has (`constructor`, `toString`, `__proto__`, …). A client-chosen string that
 * keys a stored map (a criterion id, a sub-contractor's ref) must not be one: the DynamoDB document client
 * refuses such an object (a 500), and a plain-object lookup would read the prototype instead.
 */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Refuses the `Object.prototype` names, for strings that become keys of stored maps. */
export const notPrototypeName = <S extends z.ZodString>(schema: S) =>
  schema.refine(
    (key) => !PROTOTYPE_NAMES.has(key),
    'This name is reserved: choose another (not `constructor`)',
  );

/**
 * A percentage, 0 to 100 with at most two decimal places. `multipleOf` alone lets through numbers too small
 * to matter (5e-324 passes zod's float-tolerant check) and too small for DynamoDB, which stores no number
 * of magnitude under 1e-130 (a 500 "Number underflow"): anything above 0 is at least 0.01.
 */
export const percentSchema = z
  .number()
  .min(0, 'Use 0 to 100')
  .max(100, 'Use 0 to 100')
  .multipleOf(0.01, 'Use at most two decimal places')
  .refine((value) => value === 0 || value >= 0.01, 'Use at most two decimal places');
