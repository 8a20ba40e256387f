/**
 * Schemas of the National Provider Network routes.
 */
import * as z from 'zod';
import { DISCRETIONARY_EXCLUSION_GROUNDS, MANDATORY_EXCLUSION_GROUNDS } from '../../domain/accreditation';
import { normaliseCharityNumber, normaliseCompanyNumber } from '../../domain/identifiers';
import { LEGAL_FORM_NAMES, SECTORS, SERVICES, SIZES } from '../../domain/reference-data';
import { pageOf, pageQuerySchema, ulidSchema } from './common';
import { regionSchema, serviceSchema } from './fields';
import { rejectProviderBody } from './provider-decisions';
import type { RouteSchemaSet } from './types';

const text = (max: number) =>
  z.string().trim().min(1, 'Enter a value').max(max, `Use at most ${max} characters`);
const pence = z
  .number()
  .int('Use whole pence')
  .nonnegative('Cannot be negative')
  .max(Number.MAX_SAFE_INTEGER);

// Defined in `fields.ts` (other contexts' schemas use them too); still exported from here.
// Defined in `provider-decisions.ts` (the verification queue's pages need it without the rest).
export { regionSchema, rejectProviderBody, serviceSchema };
export const sectorSchema = z.enum(SECTORS);
export const sizeSchema = z.enum(SIZES);

const charityNumber = z
  .string()
  .trim()
  .refine((v) => normaliseCharityNumber(v) !== undefined, {
    message:
      'Enter a registered charity number: 6 to 8 digits (England and Wales), SC and 6 digits (Scotland) or NIC and 6 digits (Northern Ireland)',
  });
const companyNumber = z
  .string()
  .trim()
  .refine((v) => normaliseCompanyNumber(v) !== undefined, {
    message: 'Enter a Companies House number: 8 digits, or 2 letters (such as SC, NI or OC) and 6 digits',
  });
const website = z
  .url({ protocol: /^https?$/, message: 'Enter a website address starting with http:// or https://' })
  .max(300);
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{7,20}$/, 'Enter a telephone number, like 01632 960 001 or +44 808 157 0192');

const contactSchema = z.object({
  name: text(200),
  email: z.email('Enter an email address in the correct format, like name@example.org').max(254),
  phone: phone.optional(),
});

/** `POST /providers` body. */
export const registerProviderBody = z
  .object({
    name: text(200),
    legalForm: z.enum(LEGAL_FORM_NAMES),
    charityNumber: charityNumber.optional(),
    companyNumber: companyNumber.optional(),
    sector: sectorSchema,
    size: sizeSchema,
    regions: z.array(regionSchema).min(1, 'Choose at least one region, or national').max(10),
    services: z.array(serviceSchema).min(1, 'Choose at least one service').max(SERVICES.length),
    description: z.string().trim().max(2000).optional(),
    contact: contactSchema,
    website: website.optional(),
  })
  .strict()
  .meta({ id: 'ProviderRegistration' });

/** `PATCH /providers/{id}` body: any registration field; `null` removes an optional one. */
export const updateProviderBody = z
  .object({
    name: text(200),
    legalForm: z.enum(LEGAL_FORM_NAMES),
    charityNumber: charityNumber.nullable(),
    companyNumber: companyNumber.nullable(),
    sector: sectorSchema,
    size: sizeSchema,
    regions: z.array(regionSchema).min(1).max(10),
    services: z.array(serviceSchema).min(1).max(SERVICES.length),
    description: z.string().trim().max(2000).nullable(),
    contact: contactSchema,
    website: website.nullable(),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Change at least one field')
  .meta({ id: 'ProviderUpdate' });

export const providerResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    legalForm: z.enum(LEGAL_FORM_NAMES),
    charityNumber: z.string().optional(),
    companyNumber: z.string().optional(),
    sector: sectorSchema,
    size: sizeSchema,
    regions: z.array(regionSchema),
    services: z.array(serviceSchema),
    description: z.string().optional(),
    contact: contactSchema,
    website: z.string().optional(),
    status: z.enum(['pending', 'verified', 'rejected']).meta({
      description:
        'pending: waiting for an admin (again, once the owners correct a rejected registration); verified: in the directory; rejected: not, for the reason in rejection.',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    verifiedAt: z.string().optional(),
    rejection: z
      .object({ reason: z.string(), rejectedAt: z.string(), rejectedBy: z.string() })
      .optional()
      .meta({
        description:
          'The latest rejection (current while status is rejected, history after). Shown to the organisation’s members and admins only.',
      }),
    resubmittedAt: z.string().optional().meta({
      description:
        'When the owners last corrected a rejected registration, sending it back for verification.',
    }),
    version: z.number().int(),
    members: z.array(z.object({ sub: z.string(), role: z.enum(['owner', 'member']) })).optional(),
  })
  .meta({ id: 'Provider' });

export const providerParams = z.object({ id: ulidSchema });

/**
 * A user id as Cognito (a UUID) or the local sign-in issues it: printable ASCII without spaces or slashes
 * (`!` to `.` and `0` to `~`), so it is safe in a path and on a page.
 */
const subSchema = z
  .string()
  .trim()
  .min(1, 'Enter a user id')
  .max(128, 'Use at most 128 characters')
  .regex(/^[!-.0-~]+$/, 'Enter a user id without spaces or slashes');

/** `POST /providers/{id}/members` body: whom to invite, and as what. */
export const addMemberBody = z
  .object({ sub: subSchema, role: z.enum(['owner', 'member']) })
  .strict()
  .meta({ id: 'NewMember' });

export const membershipResponse = z
  .object({
    providerId: z.string(),
    sub: z.string(),
    role: z.enum(['owner', 'member']),
    addedAt: z.string(),
    addedBy: z.string(),
    invitationId: z.string().optional().meta({ description: 'The invitation the member accepted.' }),
  })
  .meta({ id: 'Membership' });

export const formerMembershipResponse = membershipResponse
  .extend({ leftAt: z.string(), removedBy: z.string() })
  .meta({ id: 'FormerMembership' });

export const invitationResponse = z
  .object({
    id: z.string(),
    providerId: z.string(),
    sub: z.string().meta({ description: 'The invited user.' }),
    role: z.enum(['owner', 'member']),
    invitedBy: z.string(),
    invitedAt: z.string(),
    expiresAt: z.string().meta({ description: 'After this it can no longer be accepted.' }),
    status: z.enum(['invited', 'accepted', 'declined', 'withdrawn']),
    respondedAt: z.string().optional(),
    respondedBy: z.string().optional(),
  })
  .meta({ id: 'Invitation' });

export const inviteeInvitationResponse = invitationResponse
  .extend({
    organisation: z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['pending', 'verified', 'rejected']),
    }),
  })
  .meta({ id: 'InvitationForInvitee' });

export const invitationParams = z.object({ id: ulidSchema });
export const providerInvitationParams = z.object({ id: ulidSchema, invitationId: ulidSchema });
export const memberParams = z.object({ id: ulidSchema, sub: subSchema });

export const directoryQuery = pageQuerySchema.extend({
  region: regionSchema.optional(),
  service: serviceSchema.optional(),
  sector: sectorSchema.optional(),
  size: sizeSchema.optional(),
  before: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .meta({ description: 'The previousCursor of a page: the page before it (not with cursor).' }),
});

export const directoryListing = z
  .object({
    id: z.string(),
    name: z.string(),
    sector: sectorSchema,
    size: sizeSchema,
    regions: z.array(regionSchema),
    services: z.array(serviceSchema),
    description: z.string().nullable(),
    website: z.string().nullable(),
  })
  .meta({ id: 'DirectoryListing' });

// 17 grounds × (details + measures) × 3 bytes a character must fit one 400 KB item: 3,000 each
// (~309 KB at worst; 4,000 came to ~410 KB, a 500). See test/unit/item-sizes.test.ts.
const ground = <T extends readonly [string, ...string[]]>(codes: T) =>
  z
    .object({
      code: z.enum(codes),
      details: text(3000),
      selfCleaning: z
        .object({ measures: text(3000) })
        .strict()
        .optional(),
    })
    .strict();

/** `PUT /providers/{id}/accreditation` body. */
export const accreditationBody = z
  .object({
    exclusionGrounds: z
      .object({
        mandatory: z.array(ground(MANDATORY_EXCLUSION_GROUNDS)).max(MANDATORY_EXCLUSION_GROUNDS.length),
        discretionary: z
          .array(ground(DISCRETIONARY_EXCLUSION_GROUNDS))
          .max(DISCRETIONARY_EXCLUSION_GROUNDS.length),
      })
      .strict(),
    financial: z
      .object({
        annualTurnoverPence: pence,
        accountsYearEnd: z.iso.date('Enter a date like 2026-03-31'),
      })
      .strict(),
    insurance: z
      .object({
        employersLiabilityPence: pence,
        publicLiabilityPence: pence,
        professionalIndemnityPence: pence.optional(),
      })
      .strict(),
    policies: z
      .object({ equality: z.boolean(), safeguarding: z.boolean(), healthAndSafety: z.boolean() })
      .strict(),
  })
  .strict()
  .meta({ id: 'AccreditationAnswers' });

export const accreditationResponse = accreditationBody
  .extend({
    providerId: z.string(),
    status: z.enum(['current', 'expired']),
    submittedAt: z.string(),
    submittedBy: z.string(),
    validUntil: z.string(),
  })
  .meta({ id: 'Accreditation' });

export const notificationResponse = z
  .object({
    id: z.string(),
    providerId: z.string(),
    type: z.string(),
    title: z.string(),
    message: z.string(),
    link: z.string().optional().meta({ description: 'The API path of what it is about.' }),
    createdAt: z.string(),
    competitionId: z.string().optional(),
    competitionTitle: z.string().optional(),
    closes: z
      .enum(['prequalification', 'tender'])
      .optional()
      .meta({ description: 'Which deadline comes next for the provider: closesAt is when.' }),
    closesAt: z.string().optional(),
    prequalificationTier: z.enum(['none', 'core', 'full']).optional(),
    standstillEndsAt: z.string().optional(),
  })
  .meta({ id: 'Notification' });

/** Schemas by route key. */
export const providerSchemas = {
  'POST /providers': { body: registerProviderBody, responses: { 201: providerResponse } },
  'GET /providers/{id}': { params: providerParams, responses: { 200: providerResponse } },
  'PATCH /providers/{id}': {
    params: providerParams,
    body: updateProviderBody,
    responses: { 200: providerResponse },
  },
  'POST /providers/{id}/members': {
    params: providerParams,
    body: addMemberBody,
    responses: { 201: invitationResponse },
  },
  'DELETE /providers/{id}/members/{sub}': {
    params: memberParams,
    responses: { 200: formerMembershipResponse },
  },
  'GET /providers/{id}/invitations': {
    params: providerParams,
    responses: { 200: z.object({ items: z.array(invitationResponse) }) },
  },
  'DELETE /providers/{id}/invitations/{invitationId}': {
    params: providerInvitationParams,
    responses: { 200: invitationResponse },
  },
  'GET /me/invitations': { responses: { 200: z.object({ items: z.array(inviteeInvitationResponse) }) } },
  'POST /me/invitations/{id}/accept': {
    params: invitationParams,
    responses: { 200: z.object({ invitation: invitationResponse, membership: membershipResponse }) },
  },
  'POST /me/invitations/{id}/decline': {
    params: invitationParams,
    responses: { 200: z.object({ invitation: invitationResponse }) },
  },
  'POST /providers/{id}/verify': { params: providerParams, responses: { 200: providerResponse } },
  'POST /providers/{id}/reject': {
    params: providerParams,
    body: rejectProviderBody,
    responses: { 200: providerResponse },
  },
  'PUT /providers/{id}/accreditation': {
    params: providerParams,
    body: accreditationBody,
    responses: { 200: accreditationResponse },
  },
  'GET /providers/{id}/accreditation': { params: providerParams, responses: { 200: accreditationResponse } },
  'GET /me/notifications': { query: pageQuerySchema, responses: { 200: pageOf(notificationResponse) } },
  'GET /directory': {
    query: directoryQuery,
    responses: {
      200: pageOf(directoryListing).extend({
        previousCursor: z
          .string()
          .nullable()
          .meta({ description: 'The page before this one; null on the first.' }),
        total: z.number().int().meta({ description: 'How many verified providers match the filters.' }),
      }),
    },
  },
} satisfies Record<string, RouteSchemaSet>;
