/**
 * A competition's audit trail for auditors and admins: its events, paged oldest first, and at the top the
 * result of verifying its hash chain, in words that say what the verification checked.
 *
 * The page calls the use cases of `GET /competitions/{id}/audit` and `…/audit/verify` (`readAuditTrail` is
 * `readAuditLog` with the competition's title): the policy module decides who may read the trail, a refusal
 * is recorded as on the API, and while the bids are sealed the events that would tell who is bidding come
 * back without their actor.
 */

import type { AuditVerification } from '../../../db/audit';
import { auditRepository, competitionRepository, membershipRepository } from '../../../db/repositories';
import type { AuditEvent } from '../../../domain/audit';
import { NotFoundError } from '../../../domain/errors';
import { ulidSchema } from '../../../http/schemas/common';
import { competitionSchemas, verifyQuery } from '../../../http/schemas/competitions';
import { readAuditTrail, verifyAuditLog } from '../../../use-cases/competitions/audit-log';
import { escapeHtml, govukDateTime } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { competitionPageContext } from '../commissioning/common';
import { forwardPagination, reasonWords } from './paging';

/** The repositories the audit use cases need (as `functions/audit/index.ts` builds them). */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
  };
}

const PAGE_SIZE = 25;
const auditQuery = competitionSchemas['GET /competitions/{id}/audit'].query;

/** Characters of a hash shown in the table; the whole hash is one click (or key press) away. */
const SHORT_HASH = 12;

/** What each verification problem means, in words. */
const PROBLEMS: Record<NonNullable<AuditVerification['problem']>, string> = {
  event:
    'an event’s sequence number, link to the event before it, or hash does not match: it was edited, removed, reordered or inserted',
  'missing-events': 'the chain ends before its head: its last events were removed',
  head: 'the head does not match the last event of the chain, or events exist beyond it',
  empty: 'the competition has no event at all: its whole log was removed',
  data: 'a stored item of the competition’s data no longer matches the digest its last recorded change wrote',
};

/** A hash shortened, with the full value in a details component that screen readers and keyboards reach. */
function hashesHtml(seq: number | undefined, hash: string, prevHash: string): string {
  const label = seq === undefined ? 'this event' : `event ${seq}`;
  return [
    '<details class="govuk-details govuk-!-margin-bottom-0">',
    '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">',
    `<code>${escapeHtml(hash.slice(0, SHORT_HASH))}…</code>`,
    `<span class="govuk-visually-hidden"> (show the full hashes of ${escapeHtml(label)})</span>`,
    '</span></summary>',
    '<div class="govuk-details__text app-break-anywhere">',
    `<p class="govuk-body-s govuk-!-margin-bottom-1">Hash: <code>${escapeHtml(hash)}</code></p>`,
    `<p class="govuk-body-s govuk-!-margin-bottom-0">Previous event’s hash: <code>${escapeHtml(prevHash)}</code></p>`,
    '</div></details>',
  ].join('');
}

/** The verification in words: the result, how much was checked, and (when it failed) where and why. */
function verificationSummary(verification: AuditVerification, path: string) {
  const checked = `Checked ${verification.events} of the ${verification.chained} chained event${verification.chained === 1 ? '' : 's'}`;
  const pending =
    verification.pending > 0
      ? `${verification.pending} more event${verification.pending === 1 ? ' was' : 's were'} written with ${verification.pending === 1 ? 'its' : 'their'} change and ${verification.pending === 1 ? 'is' : 'are'} not chained yet: the chain takes them in within moments, and they are checked from then on.`
      : '';
  return {
    valid: verification.valid,
    complete: verification.complete,
    checked,
    pending,
    problem:
      !verification.valid && verification.problem
        ? `The first problem found is at event ${verification.firstInvalidSeq ?? '?'}: ${PROBLEMS[verification.problem]}.`
        : '',
    continueHref:
      !verification.complete && verification.checkpoint
        ? `${path}?${new URLSearchParams({ checkpoint: verification.checkpoint }).toString()}#verification`
        : '',
  };
}

/** `GET /commissioning/{id}/audit`. */
async function auditGet(request: PageRequest) {
  requireSession(request);
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No competition at this address.');
  const deps = repositories();
  const parsed = auditQuery.safeParse({
    limit: request.query.limit ?? PAGE_SIZE,
    ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
  });
  // A hand-edited limit shows the first page of the usual size rather than an error.
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  // The trail first: it decides access, and a refusal is recorded once, as on the API.
  const trail = await readAuditTrail(deps, request.principal, id.data, query, request.now);
  const checkpoint = verifyQuery.safeParse({ checkpoint: request.query.checkpoint });
  const verification = await verifyAuditLog(deps, request.principal, id.data, request.now, {
    checkpoint: checkpoint.success ? checkpoint.data.checkpoint : undefined,
  });
  const path = `/commissioning/${id.data}/audit`;
  const rows = trail.items.map((event) => {
    // Pending events (written with their change, not chained yet) have no place in the chain or hash yet.
    const { seq, hash, prevHash } = event as Partial<Pick<AuditEvent, 'seq' | 'hash' | 'prevHash'>>;
    const outcome =
      event.outcome === 'allowed'
        ? '<strong class="govuk-tag govuk-tag--green">Allowed</strong>'
        : `<strong class="govuk-tag govuk-tag--red">Denied</strong>${event.reason ? `<br><span class="govuk-body-s">${escapeHtml(reasonWords(event.reason))}</span>` : ''}`;
    return [
      { text: seq === undefined ? 'Pending' : String(seq), format: 'numeric' },
      { text: govukDateTime(event.at) },
      { html: `<span class="app-break-anywhere">${escapeHtml(event.actor)}</span>` },
      { html: `<code>${escapeHtml(event.action)}</code>` },
      { html: `<span class="app-break-anywhere">${escapeHtml(event.resource)}</span>` },
      { html: outcome },
      { html: event.chained && hash && prevHash ? hashesHtml(seq, hash, prevHash) : 'Not chained yet' },
    ];
  });
  const kept: Record<string, string> = query.limit !== PAGE_SIZE ? { limit: String(query.limit) } : {};
  return render(request, 'oversight/audit.njk', {
    ...competitionPageContext(trail.competition, 'audit', { principal: request.principal }),
    title: `Audit trail: ${trail.competition.title}`,
    competition: trail.competition,
    verification: verificationSummary(verification, path),
    rows,
    firstPage: !query.cursor,
    pagination: forwardPagination(path, kept, query.cursor, trail.nextCursor),
  });
}

/** This group's pages by route key. */
export const auditPages: PageMap = {
  'GET /commissioning/{id}/audit': auditGet,
};
