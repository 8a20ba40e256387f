/**
 * Reading the audit trail: a competition's events (oldest first), verification of its hash chain, and
 * the alerts raised by denied attempts from outside walls.
 */
import type { Alert } from '../../db/audit';
import type { Page } from '../../db/pagination';
import type { AuditEvent, ChainVerification } from '../../domain/audit';
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
): Promise<Page<AuditEvent>> {
  const state = await loadCompetitionState(deps, id);
  // Reading the log is not itself logged (the log would grow with every look at it); refusals are.
  await passWall(
    deps,
    principal,
    state,
    { resource: 'audit', action: 'read', auditAction: 'audit.read', auditAllowed: false },
    now,
  );
  return deps.audit.page(id, page.limit, page.cursor);
}

/** `GET /competitions/{id}/audit/verify`. */
export async function verifyAuditLog(
  deps: WallDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<ChainVerification> {
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'audit', action: 'read', auditAction: 'audit.verify', auditAllowed: false },
    now,
  );
  return deps.audit.verify(id);
}

/** `GET /alerts`: admins and auditors. */
export async function listAlerts(
  deps: Pick<WallDeps, 'audit'>,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Alert>> {
  if (
    !(
      principal.kind === 'user' &&
      (principal.groups.includes('admin') || principal.groups.includes('auditor'))
    )
  ) {
    throw new ForbiddenError('Only admins and auditors see alerts.');
  }
  return deps.audit.alerts(page.limit, page.cursor);
}
