/**
 * The oversight pages (`shared/web/pages/oversight/`): a competition's audit trail with its verification,
 * for auditors and admins, and breach-attempt alerts for admins. A function of its own, facing oversight.
 */
import { definePages, dispatchPages, type PageOptions } from '../../shared/web/page';
import { alertPages } from '../../shared/web/pages/oversight/alerts';
import { auditPages } from '../../shared/web/pages/oversight/audit';

/**
 * The workspace's header links to the commissioning pages, not to a provider organisation's, so these
 * pages skip the membership lookup: a page then reads what its JSON route reads, plus the session (the
 * counterpart of the JWT authorizer).
 */
const options: PageOptions = { membershipLookup: false };

export const handler = dispatchPages(definePages({ ...auditPages, ...alertPages }, options), options);
