/**
 * The one gate in front of every page of the commissioning workspace (issue 14): the workspace is for
 * commissioners, auditors and admins (`assertCanUseWorkspace`, as "Your competitions" and the task list
 * already ask). A page that reaches a use case without the gate would let anyone signed in probe a
 * competition for where they stand; with it, a provider user (or someone whose role was removed) gets the
 * workspace's own 403 page on every address, and an anonymous visitor is sent to sign in.
 */
import { assertCanUseWorkspace } from '../../../domain/policy';
import type { PageMap } from '../../page';

/** Every body of `pages`, behind `assertCanUseWorkspace`. */
export function workspacePages(pages: PageMap): PageMap {
  return Object.fromEntries(
    Object.entries(pages).map(([key, body]) => [
      key,
      async (request: Parameters<typeof body>[0]) => {
        assertCanUseWorkspace(request.principal);
        return body(request);
      },
    ]),
  );
}
