/**
 * The provider's pre-qualification pages (`shared/web/pages/provider/`): the questionnaire of the
 * competition's tier, consortium members, check your answers, submit, the confirmation. Least privilege,
 * like the JSON `prequalification` function whose use case they call: this function's own role reads
 * competitions and the registry only; each submission puts the applicant's own response (and its
 * participation item, connection markers and audit event) through the applicant role assumed for that
 * organisation, blind. Draft answers live with the session (the sessions table), never in a cookie.
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { prequalificationPages } from '../../shared/web/pages/provider/prequalification';

export const handler = dispatchPages(
  definePages({
    ...prequalificationPages,
  }),
);
