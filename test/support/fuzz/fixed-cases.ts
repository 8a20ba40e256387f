/**
 * The requests the fuzz suite sends to a route on every run, whatever the seed: each hostile cursor
 * (lists), a JSON body over the limit, the largest schema-valid body (and the largest under the limit),
 * the seeded body with each number too small for DynamoDB, and for the CSV route a CSV over its limit and
 * 4.9 MB of junk rows. Each is sent by the caller most likely to be let in, naming seeded resources.
 */
import fc from 'fast-check';
import {
  assemble,
  type Body,
  type CaseContext,
  CURSOR_NAMES,
  encodeQuery,
  type FuzzCase,
  json,
} from './cases';
import { HOSTILE_CURSORS, type Labelled, numericPaths, replaceAt } from './hostile';
import type { RoutePlan } from './routes';
import { arbitraryOf } from './schema-arbitrary';
import { bodyHints, insiderFor, realPathValues } from './values';
import type { World } from './world';

/** Real path segments for a fixed case: the first real value of each parameter. */
function realSegments(route: RoutePlan, world: World): Record<string, Labelled<string>> {
  return Object.fromEntries(
    route.pathParams.map((param) => {
      const value = realPathValues(route, param.name, world)[0] ?? 'x';
      return [param.name, { label: '', value: encodeURIComponent(value) }];
    }),
  );
}

const NO_BODY: Body = { label: '', bytes: undefined, contentType: undefined };
const NO_QUERY: Labelled<string> = { label: '', value: '' };

/**
 * The cases every run sends to a route: each hostile cursor (lists), a JSON body one byte over the limit,
 * the largest body the schema allows, and for the CSV route a CSV over its limit and 4.9 MB of junk.
 */
export function fixedCases(
  route: RoutePlan,
  context: CaseContext,
  limits: { json: number; csv: number; gateway: number; first: boolean },
): FuzzCase[] {
  const { world } = context;
  const caller = insiderFor(route);
  const segments = realSegments(route, world);
  const cases: FuzzCase[] = [];
  for (const param of route.queryParams.filter((p) => CURSOR_NAMES.has(p.name))) {
    for (const cursor of HOSTILE_CURSORS) {
      cases.push(
        assemble(route, world, {
          caller,
          segments,
          query: {
            label: `query ${param.name}: ${cursor.label}`,
            value: encodeQuery([[param.name, cursor.value]]),
          },
          body: NO_BODY,
        }),
      );
    }
  }
  if (route.body) {
    const over = Buffer.from(`{"pad":"${'x'.repeat(limits.json)}"}`);
    cases.push(
      assemble(route, world, {
        caller,
        segments,
        query: NO_QUERY,
        body: {
          label: `a JSON body of ${over.length} bytes (limit ${limits.json})`,
          bytes: over,
          contentType: 'application/json',
        },
      }),
    );
    // The largest schema-valid body, and the largest that still fits under the JSON body limit (fewer
    // items in each list and record): the one that reaches the use case with the most data.
    let bytes = Buffer.alloc(0);
    for (const maxItems of [undefined, 50, 10, 3, 1]) {
      const [value] = fc.sample(
        arbitraryOf(route.body, {
          components: context.components,
          hints: bodyHints(world),
          size: 'maximal',
          ...(maxItems !== undefined ? { maxItems } : {}),
        }),
        { numRuns: 1, seed: 1 },
      );
      const candidate = json(value);
      if (maxItems === undefined && candidate.length > limits.json)
        cases.push(
          assemble(route, world, {
            caller,
            segments,
            query: NO_QUERY,
            body: {
              label: `the largest schema-valid body (${candidate.length} bytes, over the limit)`,
              bytes: candidate,
              contentType: 'application/json',
            },
          }),
        );
      bytes = candidate;
      if (candidate.length <= limits.json) break;
    }
    cases.push(
      assemble(route, world, {
        caller,
        segments,
        query: NO_QUERY,
        body: {
          label: `the largest schema-valid body under the limit (${bytes.length} bytes)`,
          bytes,
          contentType: 'application/json',
        },
      }),
    );
    if (limits.first) {
      const huge = Buffer.alloc(limits.gateway + 1, 0x20);
      cases.push(
        assemble(route, world, {
          caller,
          segments,
          query: NO_QUERY,
          body: {
            label: `a body of ${huge.length} bytes (the gateway's limit)`,
            bytes: huge,
            contentType: 'application/json',
          },
        }),
      );
    }
  }
  // The seeded body with one number at a time too small for DynamoDB to store (it keeps magnitudes from
  // 1e-130): valid to a schema that only bounds the range, so it reaches the write.
  const example = world.examples[route.key];
  if (example !== undefined) {
    for (const path of numericPaths(example)) {
      const value = replaceAt(example, path, () => Number.MIN_VALUE);
      cases.push(
        assemble(route, world, {
          caller,
          segments,
          query: NO_QUERY,
          body: {
            label: `seeded body, ${path.join('.')} as ${Number.MIN_VALUE}`,
            bytes: json(value),
            contentType: 'application/json',
          },
        }),
      );
    }
  }
  if (route.acceptsCsv) {
    const header = route.csvHeader ?? 'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount';
    const junkRow = 'junk,"x",not a date,,£££\n';
    const junk = Buffer.from(
      `${header}\n${junkRow.repeat(Math.floor((4.9 * 1024 * 1024) / junkRow.length))}`,
    );
    const overCsv = Buffer.from(`${header}\n${'y'.repeat(limits.csv)}`);
    for (const [label, bytes] of [
      [`${junk.length} bytes of junk CSV rows`, junk],
      [`a CSV body of ${overCsv.length} bytes (limit ${limits.csv})`, overCsv],
    ] as const)
      cases.push(
        assemble(route, world, {
          caller,
          segments: { ...segments, period: { label: '', value: world.period } },
          query: NO_QUERY,
          body: { label, bytes, contentType: 'text/csv' },
        }),
      );
  }
  return cases;
}
