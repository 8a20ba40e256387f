/**
 * The one-click unsubscribe pages (issue 17): where an e-mail's unsubscribe link leads a browser.
 *
 * - `GET /unsubscribe/{token}` says what the link stops and offers a button. A GET never stops anything:
 *   mail scanners and link previews follow every link in an e-mail, and would unsubscribe people who never
 *   asked.
 * - `POST /unsubscribe/{token}/confirm` stops it (the same use case as `POST /unsubscribe/{token}`, which a
 *   mail provider posts itself) and confirms, with a link to `/your-alerts`.
 *
 * Nobody needs to be signed in: the token is the capability. So the form carries no session CSRF token
 * (`capabilityInPath`); a form posted from another site is still refused by its `Origin`. A link the
 * service did not sign is the 404 page, and neither page ever says whose e-mails a link stops.
 */
import { subscriptionRepository } from '../../db/repositories';
import { scopeWords } from '../../domain/notifications/unsubscribe';
import { unsubscribeKey } from '../../email/unsubscribe-key';
import { unsubscribeParams } from '../../http/schemas/notifications';
import { unsubscribe, unsubscribeScope } from '../../use-cases/notifications/unsubscribe';
import { PageNotFound, type PageRequest, render } from '../page';

/** The token of the address, or the 404 page for anything that cannot be one (too long, other characters). */
function tokenOf(request: PageRequest): string {
  const parsed = unsubscribeParams.safeParse({ token: request.params.token });
  if (!parsed.success)
    throw new PageNotFound('This unsubscribe link is not valid. Check it is the whole link from the e-mail.');
  return parsed.data.token;
}

/** `GET /unsubscribe/{token}`: what the link stops, and the button; nothing is written. */
export async function unsubscribePage(request: PageRequest) {
  const token = tokenOf(request);
  const scope = unsubscribeScope(token, await unsubscribeKey());
  return render(request, 'unsubscribe/confirm.njk', {
    title: 'Stop these e-mails?',
    what: scopeWords(scope),
    savedSearch: scope.startsWith('saved-search:'),
    action: `/unsubscribe/${encodeURIComponent(token)}/confirm`,
  });
}

/** `POST /unsubscribe/{token}/confirm`: stops them (again harmlessly, if they were stopped) and confirms. */
export async function unsubscribeAnswer(request: PageRequest) {
  const token = tokenOf(request);
  const { scope } = await unsubscribe(
    { subscriptions: subscriptionRepository() },
    token,
    await unsubscribeKey(),
    request.now,
  );
  return render(request, 'unsubscribe/done.njk', {
    title: 'You have unsubscribed',
    what: scopeWords(scope),
  });
}
