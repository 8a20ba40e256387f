/**
 * The web front door: GOV.UK-styled pages for providers and the public. One function serves every page
 * route of `shared/http/route-table/web.ts`; each page calls the same use cases as the JSON routes, never
 * the API over HTTP.
 */
import { definePage, dispatchPages, type PageHandler } from '../../shared/web/page';
import {
  accreditationAnswer,
  accreditationPage,
  addMemberAnswer,
  membersPage,
  notificationsPage,
  organisationProfile,
  yourOrganisations,
} from '../../shared/web/pages/organisation';
import {
  directoryPage,
  opportunitiesPage,
  opportunityPage,
  providerPage,
  startPage,
} from '../../shared/web/pages/public';
import { registrationAnswer, registrationPage } from '../../shared/web/pages/register';

const pages: Record<string, PageHandler> = {
  'GET /': definePage(startPage),
  'GET /find-a-provider': definePage(directoryPage),
  'GET /find-a-provider/{id}': definePage(providerPage),
  'GET /find-an-opportunity': definePage(opportunitiesPage),
  'GET /find-an-opportunity/{id}': definePage(opportunityPage),
  'GET /register-organisation/{step}': definePage(registrationPage),
  'POST /register-organisation/{step}': definePage(registrationAnswer),
  'GET /your-organisation': definePage(yourOrganisations),
  'GET /your-organisation/{id}': definePage(organisationProfile),
  'GET /your-organisation/{id}/members': definePage(membersPage),
  'POST /your-organisation/{id}/members': definePage(addMemberAnswer),
  'GET /your-organisation/{id}/accreditation': definePage(accreditationPage),
  'POST /your-organisation/{id}/accreditation': definePage(accreditationAnswer),
  'GET /your-organisation/{id}/notifications': definePage(notificationsPage),
};

export const handler = dispatchPages(pages);
