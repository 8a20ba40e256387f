/**
 * Reading the audit trail: a competition's events (oldest first), verification of its hash chain, and
 * the alerts raised by denied attempts from outside walls. While a competition's bids are sealed, what
 * either shows tells nobody who is bidding (`audit-redaction.ts`).
 */
import type { Alert, AuditLogEntry, AuditVerification } from '../../db/audit';
import type { CompetitionState } from '../../db/competitions';
import type { Page } from '../../db/pagination';
import { redactWhileSealed } from '../../domain/audit-redaction';
import { bidsUnsealed, type CompetitionStatus, effectiveStatus } from '../../domain/competitions';
import { ForbiddenError } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { loadCompetitionState, passWall, type WallDeps } from './wall';

/** `GET /competitions/{id}/audit`. */
export async function readAuditLog(
  deps: WallDeps,
  principal: Principal,
  id: string,
  page: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<AuditLogView>> {
  const { items, nextCursor } = await readAuditTrail(deps, principal, id, page, now);
  return { items, nextCursor };
}

/**
 * `GET /commissioning/{id}/audit` (the page): exactly `readAuditLog` – the same wall decision and reads –
 * with the competition's title and status from the state it loaded, for the page's heading and breadcrumbs.
 */
export async function readAuditTrail(
  deps: WallDeps,
  principal: Principal,
  id: string,
  page: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<AuditLogView> & { competition: { id: string; title: string; status: CompetitionStatus } }> {
  const state = await loadCompetitionState(deps, id);
  // Reading the log is not itself logged (the log would grow with every look at it); refusals are.
  await passWall(
    deps,
    principal,
    state,
    { resource: 'audit', action: 'read', auditAction: 'audit.read', auditAllowed: false },
    now,
  );
  const result = await deps.audit.page(id, page.limit, page.cursor);
  // While bids are sealed the log tells nobody – auditors included – who is bidding.
  const sealed = !bidsUnsealed(state.competition, now);
  const side = commissioningSide(state);
  const { competition } = state;
  return {
    items: result.items.map((entry) => redactWhileSealed(withoutDigests(entry), sealed, side)),
    nextCursor: result.nextCursor,
    competition: { id, title: competition.title, status: effectiveStatus(competition, now) },
  };
}

/** The competition's lead, panel and excluded people: their refusals at the wall name no bidder. */
function commissioningSide(state: CompetitionState): Set<string> {
  return new Set([
    state.competition.leadSub,
    ...(state.panel?.evaluators ?? []),
    ...(state.panel ? [state.panel.moderator] : []),
    ...state.exclusionHistory.map((e) => e.sub),
  ]);
}

/** An entry as `GET …/audit` shows it: without the digests of the data changed. */
export type AuditLogView = Omit<AuditLogEntry, 'changes'>;

/**
 * Drops the digests: they are for verification only, and a digest of a small item (a score) could be
 * matched by trying every value, which would tell an auditor what the wall keeps from them.
 */
function withoutDigests(entry: AuditLogEntry): AuditLogView {
  const { changes: _changes, ...rest } = entry;
  return rest;
}

/**
 * `GET /competitions/{id}/audit/verify`: up to `limit` events from `checkpoint` (the start when absent);
 * an incomplete answer gives the checkpoint to resume from.
 */
export async function verifyAuditLog(
  deps: WallDeps,
  principal: Principal,
  id: string,
  now: Date,
  options: { checkpoint?: string | undefined; limit?: number | undefined } = {},
): Promise<AuditVerification> {
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'audit', action: 'read', auditAction: 'audit.verify', auditAllowed: false },
    now,
  );
  return deps.audit.verify(id, options);
}

/** `GET /alerts`: admins and auditors. */
export async function listAlerts(
  deps: Pick<WallDeps, 'audit' | 'competitions'>,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<Alert>> {
  const { items, nextCursor } = await listAlertsWithTitles(deps, principal, page, now);
  return {
    items: items.map(({ competitionTitle: _title, ...alert }) => alert),
    nextCursor,
  };
}

/**
 * `GET /commissioning/alerts` (the page): exactly `listAlerts` – the same check and reads – with each
 * alert's competition title, from the competition states it reads anyway (undefined for one that is gone).
 */
export async function listAlertsWithTitles(
  deps: Pick<WallDeps, 'audit' | 'competitions'>,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<Alert & { competitionTitle: string | undefined }>> {
  if (
    !(
      principal.kind === 'user' &&
      (principal.groups.includes('admin') || principal.groups.includes('auditor'))
    )
  ) {
    throw new ForbiddenError('Only admins and auditors see alerts.');
  }
  const alerts = await deps.audit.alerts(page.limit, page.cursor);
  // An alert's actor is, most often, someone connected to a bidder: hidden while that competition's bids
  // are sealed, like the audit log's (one read of each competition's state on the page).
  const ids = [...new Set(alerts.items.map((a) => a.competitionId))];
  const states = new Map(
    await Promise.all(ids.map(async (id) => [id, await deps.competitions.state(id)] as const)),
  );
  return {
    items: alerts.items
      .map((alert) => {
        const state = states.get(alert.competitionId);
        const shown = redactWhileSealed(
          { ...alert, outcome: 'denied' as const },
          state ? !bidsUnsealed(state.competition, now) : false,
          state ? commissioningSide(state) : new Set<string>(),
        );
        return { ...shown, competitionTitle: state?.competition.title };
      })
      .map(({ outcome: _outcome, ...alert }) => alert),
    nextCursor: alerts.nextCursor,
  };
}
