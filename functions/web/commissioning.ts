/**
 * The commissioning workspace's pages (`shared/web/pages/commissioning/`): your competitions, creating a
 * draft, a competition's task list, declarations, the wall and panel, publishing and cancelling. A function
 * of its own facing the inside of the wall: it shares no role with the provider-facing web functions.
 */
import { definePages, dispatchPages, type PageOptions } from '../../shared/web/page';
import { competitionListPages } from '../../shared/web/pages/commissioning/competitions';
import { declarationPages } from '../../shared/web/pages/commissioning/declaration';
import { documentPages } from '../../shared/web/pages/commissioning/documents';
import { commissioningFormAddresses } from '../../shared/web/pages/commissioning/form-addresses';
import { newCompetitionPages } from '../../shared/web/pages/commissioning/new-competition';
import { publishCancelPages } from '../../shared/web/pages/commissioning/publish-cancel';
import { questionPages } from '../../shared/web/pages/commissioning/questions';
import { taskListPages } from '../../shared/web/pages/commissioning/task-list';
import { wallPages } from '../../shared/web/pages/commissioning/wall';
import { workspacePages } from '../../shared/web/pages/commissioning/workspace-pages';

/**
 * The workspace's header links to the commissioning pages, not to a provider organisation's, so these
 * pages skip the membership lookup: a page then reads what its JSON route reads, plus the session (the
 * counterpart of the JWT authorizer).
 */
const options: PageOptions = { membershipLookup: false };

export const handler = dispatchPages(
  definePages(
    workspacePages({
      ...competitionListPages,
      ...newCompetitionPages,
      ...taskListPages,
      ...declarationPages,
      ...wallPages,
      ...publishCancelPages,
      ...questionPages,
      ...documentPages,
      ...commissioningFormAddresses,
    }),
    options,
  ),
  options,
);
