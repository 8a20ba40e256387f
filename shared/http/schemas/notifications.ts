/**
 * Schemas of the notification routes (issue 17): a user's e-mail preferences and saved searches.
 */
import * as z from 'zod';
import {
  EMAIL_KIND_NAMES,
  EMAIL_KINDS,
  type EmailKind,
  FREQUENCIES,
  MAX_SAVED_SEARCHES,
  MAX_SEARCH_REGIONS,
  MAX_SEARCH_SERVICES,
  SUITABLE_FOR,
} from '../../domain/notifications/subscriptions';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from '../../domain/notifications/unsubscribe-token';
import { ulidSchema } from './common';
import { regionSchema, serviceSchema } from './fields';
import type { RouteSchemaSet } from './types';

/** Integer pence up to the largest amount the service holds exactly (about £90 trillion). */
const pence = z
  .number()
  .int('Use whole pence')
  .nonnegative('Cannot be negative')
  .max(Number.MAX_SAFE_INTEGER, 'Enter an amount under £90,000,000,000,000');

const version = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .describe(
    'The version the change was made from (from `GET /me/subscriptions`; 0 before anything was saved). A change from any other version is refused with 409 `/problems/conflict`: read again and re-apply.',
  );

/** A saved search's fields, without its id. */
const searchFields = {
  regions: z
    .array(regionSchema)
    .min(1, 'Choose at least one region, or national')
    .max(MAX_SEARCH_REGIONS, `Choose at most ${MAX_SEARCH_REGIONS} regions`)
    .describe('Regions the opportunity may be in; a national opportunity matches every search'),
  services: z
    .array(serviceSchema)
    .min(1, 'Choose at least one service')
    .max(MAX_SEARCH_SERVICES, `Choose at most ${MAX_SEARCH_SERVICES} services`),
  suitableFor: z
    .enum(SUITABLE_FOR)
    .optional()
    .describe(
      'Only opportunities suitable for voluntary-sector (VCSE) or small and medium-sized (SME) organisations',
    ),
  minValuePence: pence.optional().describe('Lowest estimated value, inclusive'),
  maxValuePence: pence.optional().describe('Highest estimated value, inclusive; not below minValuePence'),
  frequency: z.enum(FREQUENCIES).describe('`immediate`: one e-mail per match; `daily`: one digest a day'),
};

const rangeInOrder = (search: { minValuePence?: number | undefined; maxValuePence?: number | undefined }) =>
  search.minValuePence === undefined ||
  search.maxValuePence === undefined ||
  search.minValuePence <= search.maxValuePence;
const RANGE_MESSAGE = {
  path: ['maxValuePence'],
  message: 'The highest value must be no less than the lowest value',
};

/** A saved search as sent: the id of one already saved, or none for a new one. */
export const savedSearchInput = z
  .object({
    id: ulidSchema
      .optional()
      .describe('The id of a search already saved, to keep or change it; leave it out for a new search'),
    ...searchFields,
  })
  .strict()
  .refine(rangeInOrder, RANGE_MESSAGE)
  .meta({ id: 'SavedSearchInput' });

/** A saved search as stored. */
export const savedSearch = z
  .object({ id: ulidSchema, ...searchFields })
  .strict()
  .meta({ id: 'SavedSearch' });

const kindSwitches = (optional: boolean) =>
  z
    .object(
      Object.fromEntries(
        EMAIL_KIND_NAMES.map((kind) => {
          const flag = z.boolean().describe(EMAIL_KINDS[kind].hint);
          return [kind, optional ? flag.optional() : flag];
        }),
      ) as Record<EmailKind, z.ZodBoolean | z.ZodOptional<z.ZodBoolean>>,
    )
    .strict();

/** `PUT /me/subscriptions` body: the whole document, replacing what is stored. */
export const subscriptionsBody = z
  .object({
    version,
    email: z
      .object({
        enabled: z.boolean().describe('Off: no e-mail at all, whatever the kinds say'),
        kinds: kindSwitches(true)
          .optional()
          .describe('One switch per kind of e-mail; a kind left out is on. An unknown kind is refused.'),
      })
      .strict(),
    savedSearches: z
      .array(savedSearchInput)
      .max(MAX_SAVED_SEARCHES, `Keep at most ${MAX_SAVED_SEARCHES} saved searches`)
      .describe(
        'Every saved search to keep: one left out is removed; one without an id is added and given one',
      ),
  })
  .strict()
  .meta({ id: 'SubscriptionsChange' });

/** A user's subscriptions. */
export const subscriptionsResponse = z
  .object({
    version: z.number().int().describe('Send it back with a change'),
    updatedAt: z.string().nullable().describe('When they last changed; null before anything was saved'),
    email: z.object({ enabled: z.boolean(), kinds: kindSwitches(false) }),
    savedSearches: z.array(savedSearch).max(MAX_SAVED_SEARCHES),
  })
  .meta({ id: 'Subscriptions' });

/**
 * An unsubscribe link's token: bounded before any work (`MAX_UNSUBSCRIBE_TOKEN_LENGTH`) and of the
 * characters a token has (base64url and dots); whether it is one the service signed is the use case's.
 */
export const unsubscribeParams = z
  .object({
    token: z
      .string()
      .min(1)
      .max(MAX_UNSUBSCRIBE_TOKEN_LENGTH)
      .regex(/^[A-Za-z0-9_.-]+$/, 'Not an unsubscribe token')
      .describe("The last part of the e-mail's unsubscribe link"),
  })
  .strict();

/** What a followed unsubscribe link stopped: the scope alone, never whose e-mails. */
export const unsubscribeResponse = z
  .object({
    stopped: z
      .string()
      .max(64)
      .describe(
        'What no longer arrives: a kind of e-mail (as in `email.kinds`), `all`, or `saved-search:<id>` (that saved search is removed)',
      ),
  })
  .meta({ id: 'UnsubscribeResult' });

/** Schemas by route key. */
export const notificationSchemas = {
  'GET /me/subscriptions': { responses: { 200: subscriptionsResponse } },
  'PUT /me/subscriptions': { body: subscriptionsBody, responses: { 200: subscriptionsResponse } },
  'POST /unsubscribe/{token}': { params: unsubscribeParams, responses: { 200: unsubscribeResponse } },
} satisfies Record<string, RouteSchemaSet>;
