/**
 * OCDS packages (pure): a page of the feed as a release package, a process as a record package with its
 * compiled release, and the extensions both declare.
 */
import { compileRelease } from './compile';
import type { Release } from './ocds';

/** The OCDS version the packages declare (major.minor; the schema is 1.1.5). */
export const OCDS_VERSION = '1.1';

/** The registered extensions the releases use, by the URL of their `extension.json`. */
export const REGISTERED_EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/master/extension.json',
] as const;

/** The path the service serves its VCSE extension at (`vcse-extension.ts`). */
export const VCSE_EXTENSION_PATH = '/ocds/extensions/vcse/extension.json';

/** Every extension a package declares, the service's own at `baseUrl`. */
export function extensionsOf(baseUrl: string): string[] {
  return [...REGISTERED_EXTENSIONS, `${baseUrl}${VCSE_EXTENSION_PATH}`];
}

/** What both kinds of package say of themselves. */
export interface PackageMetadata {
  /** This package's own address. */
  uri: string;
  /** The service's address, where its VCSE extension is. */
  baseUrl: string;
  publishedDate: string;
  publisherName: string;
}

/** A release package: a page of the feed. */
export interface ReleasePackage {
  uri: string;
  version: typeof OCDS_VERSION;
  publishedDate: string;
  publisher: { name: string; uri: string };
  extensions: string[];
  releases: Release[];
  /** Where to read on from (see `GET /ocds/releases`). */
  nextCursor: string | null;
}

/**
 * A record package: one process, every release and the compiled release – or, for a process whose
 * releases are more than one answer holds (`GET /ocds/records/{ocid}`), only its latest releases, no
 * compiled release (compiling part of them would state an old value as current), and where the earlier
 * ones are in the feed.
 */
export interface RecordPackage {
  uri: string;
  version: typeof OCDS_VERSION;
  publishedDate: string;
  publisher: { name: string; uri: string };
  extensions: string[];
  records: { ocid: string; releases: Release[]; compiledRelease?: Release }[];
  /** Null when the record holds every release; otherwise the feed's range holding the ones left out. */
  earlierReleases: string | null;
}

function header(meta: PackageMetadata): Omit<ReleasePackage, 'releases' | 'nextCursor'> {
  return {
    uri: meta.uri,
    version: OCDS_VERSION,
    publishedDate: meta.publishedDate,
    publisher: { name: meta.publisherName, uri: meta.baseUrl },
    extensions: extensionsOf(meta.baseUrl),
  };
}

/** A page of releases as a release package. */
export function releasePackage(
  meta: PackageMetadata,
  releases: Release[],
  nextCursor: string | null,
): ReleasePackage {
  return { ...header(meta), releases, nextCursor };
}

/**
 * A process's releases (in publication order, at least one) as a record package: with the compiled release
 * when they are every release of the process (`earlierReleases` null), without it when they are its latest
 * only (`earlierReleases` says where the others are).
 * @throws Error when there are none (the use case answers 404 first)
 */
export function recordPackage(
  meta: PackageMetadata,
  releases: Release[],
  earlierReleases: string | null = null,
): RecordPackage {
  const [first] = releases;
  if (!first) throw new Error('A record needs at least one release');
  return {
    ...header(meta),
    records: [
      earlierReleases === null
        ? { ocid: first.ocid, releases, compiledRelease: compileRelease(releases) }
        : { ocid: first.ocid, releases },
    ],
    earlierReleases,
  };
}
