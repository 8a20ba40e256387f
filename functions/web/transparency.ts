/**
 * The transparency pages (issue 16): the published notices newest first (`/transparency`) and one
 * contracting process as published (`/transparency/{ocid}`), for anyone. Read-only, over the releases.
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { noticePage, noticesPage } from '../../shared/web/pages/transparency/pages';

export const handler = dispatchPages(
  definePages({
    'GET /transparency': noticesPage,
    'GET /transparency/{ocid}': noticePage,
  }),
);
