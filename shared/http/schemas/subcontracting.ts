/**
 * Schemas of the contract and sub-contracting routes.
 *
 * A spend return arrives as JSON or as `text/csv`, so its route validates no body in the HTTP stack: the
 * handler reads the media type, checks JSON with `spendReturnJsonLines` here (every line on its own, so one
 * malformed line does not hide the rule problems of the others) and hands CSV text to the use case.
 */
import * as z from 'zod';
import { type FieldIssue, ValidationError } from '../../domain/errors';
import { NATIONAL, REGIONS, SECTORS, SERVICES, SIZES } from '../../domain/reference-data';
import { PERIOD_PATTERN } from '../../domain/subcontracting/dates';
import { MAX_FIGURE_VALUE } from '../../domain/subcontracting/figure-sums';
import { MAX_REPORTED_ISSUES } from '../../domain/subcontracting/line-issues';
import {
  type CandidateLine,
  CSV_HEADER,
  LINE_ID_PATTERN,
  type LineIssue,
  MAX_CSV_ROW_CHARS,
  MAX_INVOICE_REF_LENGTH,
  MAX_LINES_PER_RETURN,
} from '../../domain/subcontracting/lines';
import { displayPounds, MAX_LINE_PENCE, MAX_RETURN_PENCE } from '../../domain/subcontracting/money';
import { MAX_SUBCONTRACTORS } from '../../domain/subcontracting/supply-chain';
import { zodIssues } from '../middleware/validate';
import { notPrototypeName, pageOf, pageQuerySchema, percentSchema, ulidSchema } from './common';
import type { RouteSchemaSet } from './types';

const text = (max: number) =>
  z.string().trim().min(1, 'Enter a value').max(max, `Use at most ${max} characters`);
const pence = z
  .number()
  .int('Use whole pence')
  .nonnegative('Cannot be negative')
  .max(Number.MAX_SAFE_INTEGER);
const isoDate = z.iso.date('Use a date like 2026-04-01');
const percent = percentSchema;
const regionSchema = z.enum([...REGIONS, NATIONAL]);
const serviceSchema = z.enum(SERVICES);
const sectorSchema = z.enum(SECTORS);
const sizeSchema = z.enum(SIZES);
const periodSchema = z
  .string()
  .regex(PERIOD_PATTERN, 'Use a calendar quarter like 2026-Q3 (Q1 is January to March)');

export const contractParams = z.object({ id: ulidSchema });
export const providerParams = z.object({ id: ulidSchema });
export const periodParams = z.object({ id: ulidSchema, period: periodSchema });
/** The period a return is filed for, with the filing rule (`shared/domain/return-periods.ts`). */
export const filingParams = z.object({
  id: ulidSchema,
  period: periodSchema.meta({
    description:
      'A calendar quarter (Q1 = January to March) that overlaps the contract and is over: a return may be filed from the day after the quarter ends (or after the contract ends, if sooner), never for the quarter in progress or a future one (400 /problems/validation, path params.period). Past quarters may be filed late and amended at any time.',
  }),
});
export const lineParams = periodParams.extend({
  lineId: z.string().regex(LINE_ID_PATTERN, 'Use a lineId from the return (16 hexadecimal characters)'),
});

const targetsSchema = z
  .object({ targetPercent: percent, voluntarySectorTargetPercent: percent.optional() })
  .strict();

/** `POST /contracts` body. */
export const registerContractBody = z
  .object({
    title: text(200),
    primeProviderId: ulidSchema,
    valuePence: pence.min(1, 'Must be more than zero'),
    startDate: isoDate,
    endDate: isoDate,
    regions: z.array(regionSchema).min(1, 'Choose at least one region, or national').max(10),
    services: z.array(serviceSchema).min(1, 'Choose at least one service').max(SERVICES.length),
    subcontracting: targetsSchema.optional(),
  })
  .strict()
  .meta({ id: 'NewContract' });

export const contractResponse = z
  .object({
    id: z.string(),
    title: z.string(),
    competitionId: z.string().nullable(),
    primeProviderId: z.string(),
    valuePence: z.number().int(),
    startDate: z.string(),
    endDate: z.string(),
    regions: z.array(regionSchema),
    services: z.array(serviceSchema),
    subcontracting: z.object({
      targetPercent: z.number(),
      voluntarySectorTargetPercent: z.number().optional(),
    }),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Contract' });

const subcontractorInput = z
  .object({
    ref: notPrototypeName(z.string().trim().min(1).max(40)),
    providerId: ulidSchema.optional(),
    name: text(200).optional(),
    sector: sectorSchema.optional(),
    size: sizeSchema.optional(),
    services: z.array(serviceSchema).max(SERVICES.length).default([]),
    plannedValuePence: pence.default(0),
  })
  .strict()
  .meta({
    description:
      'A registered sub-contractor is named by providerId (its name, sector and size come from the registry); any other needs name, sector and size.',
  });

/** `PUT /contracts/{id}/supply-chain` body. */
export const supplyChainBody = z
  .object({ subcontractors: z.array(subcontractorInput).max(MAX_SUBCONTRACTORS) })
  .strict()
  .meta({ id: 'SupplyChainDeclaration' });

export const supplyChainResponse = z
  .object({
    contractId: z.string(),
    subcontractors: z.array(
      z.object({
        ref: z.string(),
        providerId: z.string().optional(),
        name: z.string(),
        sector: sectorSchema,
        size: sizeSchema,
        services: z.array(serviceSchema),
        plannedValuePence: z.number().int(),
      }),
    ),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'SupplyChain' });

/**
 * One JSON line: types and bounds here; the rules (dates, refs, one line per sub-contractor and invoice ref)
 * are checked per line after. A line whose only problem is its amount still goes on to the rules, so every
 * problem of the return is listed.
 */
export const spendLineInput = z
  .object({
    subcontractorRef: z.string().max(200),
    invoiceRef: z
      .string()
      .max(200)
      .meta({
        description: `At most ${MAX_INVOICE_REF_LENGTH} characters; used once per sub-contractor in a return (two sub-contractors may share an invoice ref)`,
      }),
    invoiceDate: z.string().max(40).meta({ description: 'YYYY-MM-DD' }),
    paidDate: z
      .string()
      .max(40)
      .meta({ description: 'YYYY-MM-DD, within the period, not before the invoice date' }),
    amountPence: z
      .number()
      // Bounds first: 2^60 is "too large" before it is "not a whole number" (zod's int is a safe integer).
      .min(1, 'Must be more than zero')
      .max(MAX_LINE_PENCE, `Too large for one invoice: at most ${displayPounds(MAX_LINE_PENCE)}`)
      .int('Use a whole number of pence')
      .meta({
        description: `Whole pence, more than zero, at most ${MAX_LINE_PENCE} (${displayPounds(MAX_LINE_PENCE)}); a return's lines may total at most ${MAX_RETURN_PENCE} (${displayPounds(MAX_RETURN_PENCE)})`,
      }),
  })
  .strict();

/** `PUT /contracts/{id}/spend-returns/{period}` JSON body (documentation; `text/csv` is the other form). */
export const spendReturnBody = z
  .object({
    lines: z
      .array(spendLineInput)
      .max(MAX_LINES_PER_RETURN, `A return may have at most ${MAX_LINES_PER_RETURN} lines`),
  })
  .strict()
  .meta({
    id: 'SpendReturnSubmission',
    description: `Or text/csv with the header ${CSV_HEADER} (amount in pounds with two decimals) and at most ${MAX_LINES_PER_RETURN} rows. A refused return (400) lists at most the first ${MAX_REPORTED_ISSUES} problems in row order, then one more entry saying how many were left out; a CSV file is not read past the first ${MAX_REPORTED_ISSUES + 1} problems it finds, a row it cannot read past, or a row over ${MAX_CSV_ROW_CHARS} characters. A return that would take a contract's or region's figures past ${MAX_FIGURE_VALUE} (pence, counts or days) is refused with 409 /problems/invalid-state.`,
  });

/** A line checked without its amount, when the amount alone is wrong. */
const lineWithoutAmount = spendLineInput.omit({ amountPence: true });

/** The envelope checked first: the line count is bounded before any line is looked at. */
const spendReturnEnvelope = z
  .object({
    lines: z
      .array(z.unknown())
      .max(MAX_LINES_PER_RETURN, `A return may have at most ${MAX_LINES_PER_RETURN} lines`),
  })
  .strict();

/**
 * Checks a JSON spend return's shape line by line: the lines that have the right shape go on to the rules,
 * and the shape problems of the others are reported with the rule problems (`lines.N.field`).
 * @throws ValidationError when the body is not `{ lines: [...] }` at all.
 */
export function spendReturnJsonLines(body: unknown): { lines: CandidateLine[]; issues: LineIssue[] } {
  if (typeof body !== 'object' || body === null) {
    throw new ValidationError('Send the return as a JSON object, or as text/csv.', [
      {
        path: '',
        message: `Expected { "lines": [...] } with Content-Type: application/json, or CSV with Content-Type: text/csv and the header ${CSV_HEADER}`,
      },
    ]);
  }
  const envelope = spendReturnEnvelope.safeParse(body);
  if (!envelope.success) {
    throw new ValidationError('The return is not { "lines": [...] }.', zodIssues(envelope.error));
  }
  const lines: CandidateLine[] = [];
  const issues: LineIssue[] = [];
  envelope.data.lines.forEach((raw, position) => {
    const line = spendLineInput.safeParse(raw);
    if (line.success) {
      lines.push({ position, ...line.data });
      return;
    }
    // Only the amount is wrong: the other fields still go through the rules, the amount as unreadable.
    if (line.error.issues.every((issue) => issue.path[0] === 'amountPence')) {
      const { amountPence: _amount, ...others } = raw as Record<string, unknown>;
      const rest = lineWithoutAmount.safeParse(others);
      if (rest.success) lines.push({ position, ...rest.data, amountPence: undefined });
    }
    const reported = new Set<unknown>();
    for (const issue of line.error.issues) {
      const field = issue.path[0];
      // One problem per field (2^53 is both not a safe integer and too large: say the one that helps).
      if (reported.has(field)) continue;
      reported.add(field);
      issues.push({
        position,
        field:
          typeof field === 'string' && field in spendLineInput.shape
            ? (field as keyof typeof spendLineInput.shape)
            : 'row',
        message:
          typeof field === 'string' && !(field in spendLineInput.shape)
            ? `${issue.message} (${field})`
            : issue.message,
      });
    }
  });
  return { lines, issues };
}

/** A field issue from a wrong media type. */
export const unsupportedMediaType: FieldIssue = {
  path: '',
  message: `Send the return as application/json ({ "lines": [...] }) or text/csv (header ${CSV_HEADER})`,
};

const spendLine = z.object({
  lineId: z.string(),
  subcontractorRef: z.string(),
  invoiceRef: z.string(),
  invoiceDate: z.string(),
  paidDate: z.string(),
  amountPence: z.number().int(),
});

const spendReturnFields = {
  contractId: z.string(),
  period: z.string(),
  version: z.number().int(),
  lines: z.array(spendLine),
  lineCount: z.number().int(),
  totalPence: z.number().int(),
  format: z.enum(['json', 'csv']),
  submittedAt: z.string(),
  submittedBy: z.string(),
};

export const spendReturnResponse = z.object(spendReturnFields).meta({ id: 'SpendReturnVersion' });

export const disputeResponse = z
  .object({
    id: z.string(),
    contractId: z.string(),
    period: z.string(),
    lineId: z.string(),
    version: z.number().int(),
    providerId: z.string(),
    reason: z.string(),
    raisedBy: z.string(),
    raisedAt: z.string(),
    status: z.enum(['open']),
    line: spendLine,
  })
  .meta({ id: 'Dispute' });

export const spendReturnReadResponse = z
  .object({
    ...spendReturnFields,
    latestVersion: z.number().int(),
    subcontractors: z.record(
      z.string(),
      z.object({
        name: z.string(),
        sector: sectorSchema,
        size: sizeSchema,
        providerId: z.string().optional(),
      }),
    ),
    disputes: z.array(disputeResponse),
  })
  .meta({ id: 'SpendReturn' });

export const spendReturnQuery = z.object({
  version: z.coerce.number().int().min(1, 'Versions start at 1').max(1_000_000).optional(),
});

const share = z.object({ pence: z.number().int(), percent: z.number() });
const figureFields = {
  contractValuePence: z.number().int(),
  subcontractedPence: z.number().int(),
  subcontractedPercent: z.number(),
  voluntaryPercent: z.number(),
  smePercent: z.number(),
  bySector: z.object({ voluntary: share, private: share, public: share }),
  bySize: z.object({ micro: share, small: share, medium: share, large: share }),
  promptPayment: z.object({
    invoices: z.number().int(),
    paidWithin30DaysPercent: z.number(),
    averageDaysToPay: z.number(),
    withinDays: z.number().int(),
  }),
  target: z.object({
    percent: z.number(),
    pence: z.number().int(),
    met: z.boolean().nullable().meta({
      description:
        'Whether sub-contracted spend reached the target: null when there is nothing to judge (a contract that has filed no return; a region or quarter where no contract has filed), never true for no data.',
    }),
    voluntarySectorPercent: z.number().optional(),
    voluntarySectorMet: z.boolean().nullable().optional().meta({
      description:
        "Whether the voluntary sector's share of sub-contracted spend reached its target: null while nothing has been paid to sub-contractors.",
    }),
  }),
};

export const contractFiguresResponse = z
  .object({
    contractId: z.string(),
    ...figureFields,
    returns: z.number().int(),
    disputes: z.number().int(),
    periods: z.array(
      z.object({
        period: z.string(),
        version: z.number().int(),
        lineCount: z.number().int(),
        ...figureFields,
      }),
    ),
  })
  .meta({ id: 'ContractSubcontractingFigures' });

export const reportQuery = z.object({
  period: periodSchema.optional(),
  region: regionSchema.optional(),
});

export const reportResponse = z
  .object({
    period: z.string().nullable(),
    region: regionSchema.nullable(),
    ...figureFields,
    byRegion: z.array(z.object({ region: regionSchema, ...figureFields })),
  })
  .meta({ id: 'SubcontractingReport' });

export const disputeBody = z
  .object({ reason: text(2000) })
  .strict()
  .meta({ id: 'NewDispute' });

export const paymentResponse = z
  .object({
    contractId: z.string(),
    contractTitle: z.string(),
    primeProviderId: z.string(),
    period: z.string(),
    version: z.number().int(),
    subcontractorRef: z.string(),
    lineId: z.string(),
    invoiceRef: z.string(),
    invoiceDate: z.string(),
    paidDate: z.string(),
    amountPence: z.number().int(),
    daysToPay: z.number().int(),
    dispute: z.object({ id: z.string(), raisedAt: z.string() }).nullable().meta({
      description:
        "The line's open dispute, or null: a line has at most one open dispute (a second is refused with 409 /problems/conflict).",
    }),
  })
  .meta({ id: 'SubcontractPayment' });

/** Schemas by route key. */
export const subcontractingSchemas = {
  'POST /contracts': { body: registerContractBody, responses: { 201: contractResponse } },
  'GET /contracts': { query: pageQuerySchema, responses: { 200: pageOf(contractResponse) } },
  'GET /contracts/{id}': { params: contractParams, responses: { 200: contractResponse } },
  'GET /providers/{id}/contracts': {
    params: providerParams,
    query: pageQuerySchema,
    responses: { 200: pageOf(contractResponse) },
  },
  'PUT /contracts/{id}/supply-chain': {
    params: contractParams,
    body: supplyChainBody,
    responses: { 200: supplyChainResponse },
  },
  'GET /contracts/{id}/supply-chain': { params: contractParams, responses: { 200: supplyChainResponse } },
  'PUT /contracts/{id}/spend-returns/{period}': {
    params: filingParams,
    // Documented here; validated in the handler, which also accepts text/csv.
    body: spendReturnBody,
    responses: { 200: spendReturnResponse, 201: spendReturnResponse },
  },
  'GET /contracts/{id}/spend-returns/{period}': {
    params: periodParams,
    query: spendReturnQuery,
    responses: { 200: spendReturnReadResponse },
  },
  'GET /contracts/{id}/subcontracting': {
    params: contractParams,
    responses: { 200: contractFiguresResponse },
  },
  'POST /contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes': {
    params: lineParams,
    body: disputeBody,
    responses: { 201: disputeResponse },
  },
  'GET /contracts/{id}/disputes': {
    params: contractParams,
    query: pageQuerySchema,
    responses: { 200: pageOf(disputeResponse) },
  },
  'GET /providers/{id}/subcontract-payments': {
    params: providerParams,
    query: pageQuerySchema,
    responses: { 200: pageOf(paymentResponse) },
  },
  'GET /reports/subcontracting': { query: reportQuery, responses: { 200: reportResponse } },
} satisfies Record<string, RouteSchemaSet>;
