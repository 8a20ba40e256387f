/**
 * The transparency pages (issue 16): the published notices newest first (`/transparency`), one contracting
 * process as published (`/transparency/{ocid}`), and the contracts over £10,000
 * (`GET /transparency/contracts.csv`). Each reads the `publication` table only – the releases and the
 * contracts list, both made from the public projection when the changes they describe were written – so
 * nothing here needs, or could reach, anything the wall protects.
 */
import { decodeCursor, encodeCursor } from '../../db/pagination';
import type { PublicationRepository } from '../../db/publication';
import type { TransparencyRepository } from '../../db/transparency';
import { NotFoundError } from '../../domain/errors';
import { compileRelease } from '../../domain/publication/compile';
import type { ListedContract } from '../../domain/publication/listed-contracts';
import type { Release } from '../../domain/publication/ocds';
import { MAX_RECORD_BYTES, MAX_RECORD_RELEASES } from './read-feed';

/** What the transparency use cases read. */
export interface TransparencyDeps {
  transparency: TransparencyRepository;
}

/** What reading one process needs: its record too. */
export interface ProcessDeps extends TransparencyDeps {
  publication: Pick<PublicationRepository, 'record'>;
}

/** Notices on one page of `/transparency`: the default and the most. */
export const NOTICES_PER_PAGE = 20;
export const MAX_NOTICES_PER_PAGE = 50;

/** A published notice (a release) with the title of its contracting process. */
export interface Notice {
  release: Release;
  /** The process's title: from the release, or from the process's first release when it names none. */
  title: string;
}

/** A page of notices, newest first. */
export interface NoticePage {
  items: Notice[];
  nextCursor: string | null;
}

const NOTICES_SCOPE = ['transparency-notices'] as const;

/** The title a release gives its process, if any (a withdrawn award's release names none). */
export function titleOf(release: Pick<Release, 'tender' | 'awards' | 'contracts'>): string | undefined {
  return (
    release.tender?.title ??
    release.contracts?.find((c) => c.title !== undefined)?.title ??
    release.awards?.find((a) => a.title !== undefined)?.title
  );
}

/**
 * The published notices, newest first, a page at a time. The cursor is the position of the last notice
 * shown: notices published meanwhile come before it, so paging on never repeats or skips one.
 * @throws ValidationError when the cursor is not one this list gave
 */
export async function listNotices(
  deps: TransparencyDeps,
  query: { cursor?: string | undefined; limit?: number | undefined },
): Promise<NoticePage> {
  const before = decodeCursor(query.cursor, NOTICES_SCOPE);
  const limit = Math.min(Math.max(1, query.limit ?? NOTICES_PER_PAGE), MAX_NOTICES_PER_PAGE);
  const entries = await deps.transparency.latest({ before, limit: limit + 1 });
  const shown = entries.slice(0, limit);
  const last = shown.at(-1);
  // A release that names no title (a withdrawn award) takes its process's: the first release of a process
  // is its tender (a competition) or its first spend return (a contract registered directly), which name
  // it. One read per such process, and only for those.
  const missing = [...new Set(shown.filter((e) => !titleOf(e.release)).map((e) => e.release.ocid))];
  const found = new Map(
    await Promise.all(
      missing.map(async (ocid) => {
        const first = await deps.transparency.firstRelease(ocid);
        return [ocid, first ? titleOf(first) : undefined] as const;
      }),
    ),
  );
  return {
    items: shown.map((entry) => ({
      release: entry.release,
      title: titleOf(entry.release) ?? found.get(entry.release.ocid) ?? entry.release.ocid,
    })),
    nextCursor: entries.length > limit && last ? encodeCursor(last.key, NOTICES_SCOPE) : null,
  };
}

/** One contracting process as published. */
export interface PublishedProcess {
  ocid: string;
  /** Its releases in publication order: every one, or its latest when they are more than one read holds. */
  releases: Release[];
  /** The compiled release, when `releases` are every release (compiling only the latest would be wrong). */
  compiled: Release | undefined;
  /** Its title: from the compiled release, or its first release when only the latest are read. */
  title: string;
}

/**
 * A contracting process by its ocid, read within the same bounds as its JSON record (`getRecord`): every
 * release and the compiled release, or past the bounds its latest releases only.
 * @throws NotFoundError when nothing is published under that ocid
 */
export async function getPublishedProcess(deps: ProcessDeps, ocid: string): Promise<PublishedProcess> {
  const read = await deps.publication.record(ocid, {
    limit: MAX_RECORD_RELEASES,
    maxBytes: MAX_RECORD_BYTES,
  });
  const { releases } = read;
  if (releases.length === 0) throw new NotFoundError(`Nothing is published under the ocid ${ocid}.`);
  const compiled = read.complete ? compileRelease(releases) : undefined;
  const named = compiled ? titleOf(compiled) : undefined;
  const first = named === undefined ? await deps.transparency.firstRelease(ocid) : undefined;
  const title = named ?? (first ? titleOf(first) : undefined) ?? releases.map(titleOf).find(Boolean) ?? ocid;
  return { ocid, releases, compiled, title };
}

/**
 * The most contracts one CSV file holds (the file also stops before `MAX_CSV_BYTES`, see the CSV's
 * presenter); past it, the answer's `Link` header names the next file.
 */
export const MAX_CSV_ROWS = 10_000;

/** Listed contracts in the order they were let, each with its position (to go on after it). */
export interface ListedContractsPage {
  items: { contract: ListedContract; position: string }[];
  /** Where the next file starts, when more contracts are listed after these; null otherwise. */
  nextCursor: string | null;
}

const CONTRACTS_SCOPE = ['transparency-contracts'] as const;

/** The cursor that goes on after a listed contract's position (a file cut short by its size). */
export function listedContractsCursor(position: string): string {
  return encodeCursor(position, CONTRACTS_SCOPE);
}

/**
 * The contracts over £10,000 in the order they were let, at most `maxRows` from the cursor. A contract let
 * meanwhile is listed after every earlier one, so a download read on by its cursors never misses one.
 * @throws ValidationError when the cursor is not one this list gave
 */
export async function listListedContracts(
  deps: TransparencyDeps,
  query: { cursor?: string | undefined },
  maxRows = MAX_CSV_ROWS,
): Promise<ListedContractsPage> {
  const after = decodeCursor(query.cursor, CONTRACTS_SCOPE);
  const limit = Math.min(Math.max(1, maxRows), MAX_CSV_ROWS);
  const entries = await deps.transparency.listedContracts({ after, limit: limit + 1 });
  const shown = entries.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map((entry) => ({ contract: entry.contract, position: entry.key })),
    nextCursor: entries.length > limit && last ? listedContractsCursor(last.key) : null,
  };
}
