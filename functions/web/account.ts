/**
 * The web front door's pages for signed-in users: registering an organisation, your account, your
 * organisations (profile, members and invitations, accreditation, notifications), and your alerts (e-mail
 * preferences and saved searches); and the unsubscribe pages an e-mail's link leads to, which need no
 * sign-in but write the same subscriptions item. A function of its own
 * so the public pages (`functions/web/index.ts`) can be read-only; it calls the same use cases as the
 * provider-facing JSON routes.
 */
import { definePage, dispatchPages, type PageHandler } from '../../shared/web/page';
import { yourAccount } from '../../shared/web/pages/account';
import {
  emailSettingsAnswer,
  removeSearchAnswer,
  searchAnswer,
  searchPage,
  yourAlerts,
} from '../../shared/web/pages/alerts';
import {
  acceptInvitationAnswer,
  declineInvitationAnswer,
  yourInvitations,
} from '../../shared/web/pages/invitations';
import {
  accreditationAnswer,
  accreditationPage,
  addMemberAnswer,
  editProfileAnswer,
  editProfilePage,
  membersPage,
  notificationsPage,
  organisationProfile,
  removeMemberAnswer,
  withdrawInvitationAnswer,
  yourOrganisations,
} from '../../shared/web/pages/organisation';
import { registrationAnswer, registrationPage, registrationStart } from '../../shared/web/pages/register';
import { unsubscribeAnswer, unsubscribePage } from '../../shared/web/pages/unsubscribe';

const pages: Record<string, PageHandler> = {
  'GET /register-organisation': definePage(registrationStart),
  'GET /register-organisation/{step}': definePage(registrationPage),
  'POST /register-organisation/{step}': definePage(registrationAnswer),
  'GET /your-account': definePage(yourAccount),
  'GET /your-organisation': definePage(yourOrganisations),
  'GET /your-organisation/{id}': definePage(organisationProfile),
  'GET /your-organisation/{id}/edit': definePage(editProfilePage),
  'POST /your-organisation/{id}/edit': definePage(editProfileAnswer),
  'GET /your-organisation/{id}/members': definePage(membersPage),
  'POST /your-organisation/{id}/members': definePage(addMemberAnswer),
  'POST /your-organisation/{id}/members/remove': definePage(removeMemberAnswer),
  'POST /your-organisation/{id}/invitations/withdraw': definePage(withdrawInvitationAnswer),
  'GET /your-invitations': definePage(yourInvitations),
  'POST /your-invitations/{id}/accept': definePage(acceptInvitationAnswer),
  'POST /your-invitations/{id}/decline': definePage(declineInvitationAnswer),
  'GET /your-organisation/{id}/accreditation': definePage(accreditationPage),
  'POST /your-organisation/{id}/accreditation': definePage(accreditationAnswer),
  'GET /your-organisation/{id}/notifications': definePage(notificationsPage),
  'GET /your-alerts': definePage(yourAlerts),
  'POST /your-alerts': definePage(emailSettingsAnswer),
  'GET /your-alerts/search': definePage(searchPage),
  'POST /your-alerts/search': definePage(searchAnswer),
  'POST /your-alerts/search/remove': definePage(removeSearchAnswer),
  // An e-mail's unsubscribe link: no session needed, the link's signed token is the capability.
  'GET /unsubscribe/{token}': definePage(unsubscribePage),
  'POST /unsubscribe/{token}/confirm': definePage(unsubscribeAnswer, { capabilityInPath: true }),
};

export const handler = dispatchPages(pages);
