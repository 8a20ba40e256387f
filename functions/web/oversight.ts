/**
 * The oversight pages (`shared/web/pages/oversight/`): a competition's audit trail with its verification,
 * for auditors and admins, and breach-attempt alerts for admins. A function of its own, facing oversight.
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { alertPages } from '../../shared/web/pages/oversight/alerts';
import { auditPages } from '../../shared/web/pages/oversight/audit';

export const handler = dispatchPages(definePages({ ...auditPages, ...alertPages }));
