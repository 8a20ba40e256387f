/**
 * Schemas of the OCDS publication routes (issue 16). The releases themselves are OCDS 1.1.5 documents,
 * validated against the official schema in the tests; here they are described, not re-specified.
 */
import * as z from 'zod';
import type { RouteSchemaSet } from './types';

const instant = (description: string) =>
  z.iso
    .datetime({ offset: true, message: 'Use an ISO 8601 date and time, like 2027-01-31T12:00:00Z' })
    .optional()
    .meta({ description });

/** `GET /ocds/releases` query. */
export const releasesQuery = z.object({
  cursor: z.string().min(1).max(2048).optional().meta({
    description:
      'The nextCursor of a previous page of the feed with the same updatedFrom and updatedTo; anything else is a 400.',
  }),
  updatedFrom: instant('Only releases dated at or after this instant.'),
  updatedTo: instant('Only releases dated at or before this instant.'),
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({
    description:
      'Releases per page, at most 100 (a page also stops before 4 MB of releases, and always holds at least one).',
  }),
});

/** `GET /ocds/records/{ocid}` path. */
export const recordParams = z.object({
  ocid: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/, 'An ocid is letters, digits, dots, hyphens and underscores'),
});

/** One OCDS 1.1.5 release (described, not re-specified: the official schema is the reference). */
const release = z
  .looseObject({
    ocid: z.string(),
    id: z.string(),
    date: z.string(),
    tag: z.array(z.string()),
    initiationType: z.literal('tender'),
  })
  .meta({
    id: 'OcdsRelease',
    description:
      'An OCDS 1.1.5 release (https://standard.open-contracting.org/1.1/en/schema/release/), with the Party Scale, Enquiries and VCSE extensions the package lists.',
  });

const publisher = z.object({ name: z.string(), uri: z.string() });

const packageHeader = {
  uri: z.string().meta({ description: 'This package’s own address.' }),
  version: z.literal('1.1'),
  publishedDate: z.string(),
  publisher,
  extensions: z.array(z.string()).meta({ description: 'The extensions the releases use.' }),
};

/** A page of the feed as an OCDS release package. */
export const releasePackageResponse = z
  .object({
    ...packageHeader,
    releases: z.array(release),
    nextCursor: z.string().nullable().meta({
      description:
        'The position after this page’s last release: read on from it, now or later for what was published since. An empty page keeps the cursor it was given (null when none was given).',
    }),
  })
  .meta({ id: 'OcdsReleasePackage' });

/**
 * A record package: one contracting process, every release and the compiled release – or, past the bounds
 * (`MAX_RECORD_RELEASES`, `MAX_RECORD_BYTES`), its latest releases and where the rest are.
 */
export const recordPackageResponse = z
  .object({
    ...packageHeader,
    records: z
      .array(
        z.object({
          ocid: z.string(),
          releases: z.array(release).max(1000).meta({
            description:
              'Every release of the process in publication order – or, past 1,000 releases or 2 MB of them, the latest that fit (see earlierReleases).',
          }),
          compiledRelease: release.optional().meta({
            description:
              'The process as it stands, every release merged by the OCDS rules; absent when the record holds only its latest releases.',
          }),
        }),
      )
      .length(1),
    earlierReleases: z.string().nullable().meta({
      description:
        'Null when the record holds every release of the process. Otherwise the process has more than 1,000 releases, or more than 2 MB of them: the record holds the latest that fit and no compiled release, and this is the address of the feed (GET /ocds/releases with updatedFrom and updatedTo) from the process’s first release to the oldest one given, where the others are, among other processes’ releases of that time.',
    }),
  })
  .meta({
    id: 'OcdsRecordPackage',
    description:
      'An OCDS 1.1.5 record package of one contracting process. A record holds at most 1,000 releases and 2 MB of them (with its compiled release the answer stays within what one response may carry); see earlierReleases.',
  });

/** `GET /transparency/contracts.csv` query. */
export const contractsCsvQuery = z.object({
  cursor: z.string().min(1).max(2048).optional().meta({
    description:
      'Where a file goes on from: the cursor in the previous file’s Link header (rel="next"); anything else is a 400. Without it, the first file.',
  }),
});

/** The contracts CSV (described: it is text, not JSON). */
const contractsCsv = z.string().meta({
  id: 'TransparencyContractsCsv',
  description:
    'RFC 4180 CSV in UTF-8 with a byte-order mark and CRLF line ends: a header row (Title, Supplier, Supplier sector, Supplier size, Value (GBP), Start date, End date, Regions, Contract ID), then one row per contract over £10,000 (its value more than 1,000,000 pence), in the order they were let. Values are pounds with two decimals, converted from pence exactly; dates are YYYY-MM-DD; regions are separated by "; ". A file holds at most 10,000 rows and stops before 4 MB; when more contracts follow, the Link header (rel="next") gives the address of the next file.',
});

/** An OCDS extension's documents. */
const extensionDocument = z.looseObject({}).meta({ id: 'OcdsExtensionDocument' });

/** Schemas of each route. */
export const publicationSchemas = {
  'GET /ocds/releases': { query: releasesQuery, responses: { 200: releasePackageResponse } },
  'GET /ocds/records/{ocid}': { params: recordParams, responses: { 200: recordPackageResponse } },
  'GET /transparency/contracts.csv': {
    query: contractsCsvQuery,
    responses: { 200: contractsCsv },
    responseMediaType: 'text/csv',
  },
  'GET /ocds/extensions/vcse/extension.json': { responses: { 200: extensionDocument } },
  'GET /ocds/extensions/vcse/release-schema.json': { responses: { 200: extensionDocument } },
} satisfies Record<string, RouteSchemaSet>;
