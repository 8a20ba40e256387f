/**
 * What the provider's competition pages share (`/your-competitions/…`): their breadcrumbs, the GOV.UK tag
 * of a standing, the dependencies of the use cases they call, and the competition id of a page's address.
 * No page here decides access: each calls the use case its JSON route calls, which resolves the caller's
 * organisation and reaches its sealed data only through that organisation's provider data access.
 */
import { providerData } from '../../../db/provider-data';
import {
  accreditationRepository,
  auditRepository,
  bidRepository,
  competitionRepository,
  documentRepository,
  membershipRepository,
  outboxWriter,
  partnershipRepository,
  prequalificationRepository,
  providerRepository,
} from '../../../db/repositories';
import { deadlineInWords } from '../../../domain/deadlines';
import type { TagColour } from '../../../domain/taking-part';
import { ulidSchema } from '../../../http/schemas/common';
import { PageNotFound, type PageRequest } from '../../page';

/** One breadcrumb. */
export interface Breadcrumb {
  text: string;
  href: string;
}

/** "Home", "Your competitions", then the competition when the page belongs to one. */
export function providerBreadcrumbs(competition?: { id: string; title: string }): Breadcrumb[] {
  const crumbs: Breadcrumb[] = [
    { text: 'Home', href: '/' },
    { text: 'Your competitions', href: '/your-competitions' },
  ];
  if (competition) {
    crumbs.push({
      text: competition.title,
      href: `/find-an-opportunity/${encodeURIComponent(competition.id)}`,
    });
  }
  return crumbs;
}

/** The classes of a GOV.UK tag of a colour. */
export function tagClasses(colour: TagColour | undefined): string {
  return colour ? `govuk-tag--${colour}` : '';
}

/**
 * The registry and competition reads on the function's own credentials, and the provider data access the
 * use cases reach each organisation's sealed data through (in AWS the function's provider data role,
 * assumed per organisation; locally the process-wide repositories), as the JSON functions build them.
 */
export function providerCompetitionDeps() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    providers: providerRepository(),
    accreditations: accreditationRepository(),
    outbox: outboxWriter(),
    // So a bid submitted from these pages records the document versions it answered, as on the API.
    documents: documentRepository(),
    providerData: providerData(() => ({
      bids: bidRepository(),
      prequalification: prequalificationRepository(),
      partnerships: partnershipRepository(),
      audit: auditRepository(),
    })),
  };
}

/**
 * A deadline as a sentence of its own, with what closes as its subject: "Tenders close today at 5:39pm",
 * "Applications close in 3 days, on 12 December 2026 at 5pm", "Tenders closed on …". Templates print it
 * as it is (never "The tender deadline closes …"), so every provider page says a deadline the same way.
 */
export function closingInWords(what: 'Tenders' | 'Applications', deadline: string, now: Date): string {
  return `${what} ${deadlineInWords(deadline, now, { future: 'close', past: 'closed' })}`;
}

/** The competition id of the page's address (a ULID, as on the JSON routes), or the 404 page. */
export function competitionIdOf(request: Pick<PageRequest, 'params'>): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new PageNotFound('No competition at this address.');
  return id.data;
}
