/**
 * Declarations of interest and exclusions as append-only histories (DESIGN.md section 3): nothing a person
 * declares is ever overwritten, so a declared conflict cannot be withdrawn by its declarer. What the wall
 * acts on is derived here, purely, from the whole history:
 *
 * - a declaration naming conflicts puts its declarer outside; a later declaration naming none does not
 *   bring them back – only a clearance does, recorded with a reason by the lead (or, for the lead's own
 *   conflict, by an admin);
 * - an exclusion puts a person outside until the lead lifts it, with a reason.
 */
import type { Declaration, Exclusion } from './competitions';

/** A conflict named in a declaration. */
export type Conflict = Declaration['conflicts'][number];

/** One entry of a person's declaration history for a competition. */
export interface DeclarationRecord {
  sub: string;
  /** 1, 2, 3… per person and competition; 0 for a declaration stored before histories existed. */
  version: number;
  /** A declaration by the person, or a clearance of their declared conflicts by someone else. */
  kind: 'declaration' | 'clearance';
  /** The conflicts declared (empty for a clearance or a declaration of none). */
  conflicts: Conflict[];
  at: string;
  /** Who recorded it: the declarer, or the lead or admin who cleared. */
  by: string;
  /** Why a clearance was given. */
  reason?: string | undefined;
}

/** One entry of a person's exclusion history for a competition. */
export interface ExclusionRecord {
  sub: string;
  /** 1, 2, 3… per person and competition; 0 for an exclusion stored before histories existed. */
  version: number;
  kind: 'exclusion' | 'lift';
  reason: string;
  at: string;
  by: string;
}

/** The effective declaration of one person, as the wall reads it. */
export interface EffectiveDeclaration extends Declaration {
  /** The version of the person's latest record. */
  version: number;
  /** When and by whom the last clearance was given, if any. */
  clearedAt?: string | undefined;
  clearedBy?: string | undefined;
}

const byVersion = <T extends { version: number }>(a: T, b: T) => a.version - b.version;

/**
 * Each person's effective declaration from their history: the conflicts still outstanding (declared since
 * the last clearance, in the order declared, one per organisation) and when they last declared. A person
 * with only clearances and no declaration has none. The result has no prototype, so a sub such as
 * `constructor` is just a key.
 */
export function effectiveDeclarations(
  records: readonly DeclarationRecord[],
): Record<string, EffectiveDeclaration> {
  const result: Record<string, EffectiveDeclaration> = Object.create(null);
  for (const record of [...records].sort(byVersion)) {
    const current = result[record.sub];
    if (record.kind === 'clearance') {
      if (current) {
        current.conflicts = [];
        current.version = record.version;
        current.clearedAt = record.at;
        current.clearedBy = record.by;
      }
      continue;
    }
    const outstanding = [...(current?.conflicts ?? [])];
    for (const conflict of record.conflicts) {
      if (!outstanding.some((c) => c.organisationId === conflict.organisationId)) outstanding.push(conflict);
    }
    result[record.sub] = {
      sub: record.sub,
      conflicts: outstanding,
      declaredAt: record.at,
      version: record.version,
      ...(current?.clearedAt ? { clearedAt: current.clearedAt, clearedBy: current.clearedBy } : {}),
    };
  }
  return result;
}

/** The exclusions in force: each person whose latest exclusion record is an exclusion, not a lift. */
export function currentExclusions(records: readonly ExclusionRecord[]): Exclusion[] {
  const latest = new Map<string, ExclusionRecord>();
  for (const record of [...records].sort(byVersion)) latest.set(record.sub, record);
  return [...latest.values()]
    .filter((r) => r.kind === 'exclusion')
    .map((r) => ({ sub: r.sub, reason: r.reason, excludedAt: r.at, excludedBy: r.by }));
}

/** The next version of a person's history. */
export function nextVersion(records: readonly { sub: string; version: number }[], sub: string): number {
  return records.filter((r) => r.sub === sub).reduce((max, r) => Math.max(max, r.version), 0) + 1;
}
