/**
 * The web front door's public pages: start, the directory and opportunities, and the GOV.UK "Page not
 * found" page for any address no route matches (API Gateway's `$default` route comes here; API clients
 * get problem+json). Read-only: the pages for signed-in users are `functions/web/account.ts`. Each page
 * calls the same use cases as the JSON routes, never the API over HTTP.
 */
import { definePage, dispatchPages, type PageHandler } from '../../shared/web/page';
import {
  directoryPage,
  opportunitiesPage,
  opportunityPage,
  providerPage,
  startPage,
} from '../../shared/web/pages/public';

const pages: Record<string, PageHandler> = {
  'GET /': definePage(startPage),
  'GET /find-a-provider': definePage(directoryPage),
  'GET /find-a-provider/{id}': definePage(providerPage),
  'GET /find-an-opportunity': definePage(opportunitiesPage),
  'GET /find-an-opportunity/{id}': definePage(opportunityPage),
};

export const handler = dispatchPages(pages);
