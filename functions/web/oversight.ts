/**
 * The oversight pages (`shared/web/pages/oversight/`): a competition's audit trail with its verification,
 * for auditors and admins, breach-attempt alerts for admins, and the providers' verification queue for
 * admins (verify, or reject with a reason), and the sub-contracting dashboard for commissioners, auditors
 * and admins (issue 16). A function of its own, facing oversight.
 */
import { definePages, dispatchPages, type PageOptions } from '../../shared/web/page';
import { adminProviderPages } from '../../shared/web/pages/oversight/admin-providers';
import { alertPages } from '../../shared/web/pages/oversight/alerts';
import { auditPages } from '../../shared/web/pages/oversight/audit';
import { subcontractingDashboardPages } from '../../shared/web/pages/oversight/subcontracting';

/**
 * The workspace's header links to the commissioning pages, not to a provider organisation's, so these
 * pages skip the membership lookup: a page then reads what its JSON route reads, plus the session (the
 * counterpart of the JWT authorizer).
 */
const options: PageOptions = { membershipLookup: false };

export const handler = dispatchPages(
  definePages(
    { ...auditPages, ...alertPages, ...adminProviderPages, ...subcontractingDashboardPages },
    options,
  ),
  options,
);
