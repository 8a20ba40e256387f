/**
 * The one gate in front of every page of the commissioning workspace (issue 14): the workspace is for
 * commissioners, auditors and admins (`assertCanUseWorkspace`, as "Your competitions" and the task list
 * already ask). A page that reaches a use case without the gate would let anyone signed in probe a
 * competition for where they stand; with it, a provider user (or someone whose role was removed) gets the
 * workspace's own 403 page on every address, and an anonymous visitor is sent to sign in.
 *
 * Except a competition's own pages (`/commissioning/{id}/…`): there the policy refuses anyone without the
 * commissioner role a seat's powers (and everyone else what their role does not give) through the use case,
 * which records the attempt in the competition's audit trail and alerts when it comes from outside the wall.
 * A gate in front of them would turn a bidder's probe of the bids into an unrecorded 403 (DESIGN.md §3:
 * every denied access to inside information is appended, and outside attempts raise an alert).
 */
import { assertCanUseWorkspace } from '../../../domain/policy';
import type { PageMap } from '../../page';

/**
 * A competition's own page: its use case's policy decides, and records. Not the challenges pages: their use
 * case also serves a bidder's members their own challenges (the JSON route's scope), which they read on
 * `/your-competitions/{id}/challenge`, not in the workspace.
 */
const COMPETITION_PAGE = /^(GET|POST) \/commissioning\/\{id\}(?!\/challenges)(\/|$)/;

/** Every body of `pages` but a competition's own, behind `assertCanUseWorkspace`. */
export function workspacePages(pages: PageMap): PageMap {
  return Object.fromEntries(
    Object.entries(pages).map(([key, body]) => [
      key,
      COMPETITION_PAGE.test(key)
        ? body
        : async (request: Parameters<typeof body>[0]) => {
            assertCanUseWorkspace(request.principal);
            return body(request);
          },
    ]),
  );
}
