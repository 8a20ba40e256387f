/**
 * The OpenAPI document as users get it (`GET /openapi.json` through the local gateway, and from the
 * platform handler as API Gateway invokes it) survives real tools: Redocly's linter with its recommended
 * rules finds no errors, and openapi-typescript generates client types that type-check against a few
 * real calls, and reject wrong ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as platformHandler } from '../../functions/platform/index';
import { startTestApi, type TestApi } from '../support/api';
import { httpEvent, lambdaContext } from '../support/events';

/**
 * The warnings of the recommended rules that stay, each with its reason. Anything else (and any error)
 * fails the test.
 */
const ALLOWED_WARNINGS: Record<string, string> = {
  // The commissioner has not published a licence for the API; the document must not invent one.
  'info-license': 'no licence is published for this API',
};
/** Only for the document the local gateway serves. */
const ALLOWED_LOCAL_WARNINGS: Record<string, string> = {
  // Locally the API is on localhost, and `servers` says so on purpose: it is where a client should call.
  'no-server-example.com': 'the local gateway runs on localhost',
};

type OpenApiDocument = { servers: { url: string }[]; paths: Record<string, unknown> };

let api: TestApi;
let localDocument: OpenApiDocument;
let awsDocument: OpenApiDocument;
let workDir: string;

beforeAll(async () => {
  api = await startTestApi();
  const response = await api.call('GET', '/openapi.json');
  expect(response.status).toBe(200);
  localDocument = response.body as OpenApiDocument;
  // As API Gateway invokes the function: its domain in the request context, HTTPS in X-Forwarded-Proto.
  const event = httpEvent({ path: '/openapi.json', headers: { 'x-forwarded-proto': 'https' } });
  event.requestContext.domainName = 'a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com';
  const result = await platformHandler(event, lambdaContext());
  expect(result.statusCode).toBe(200);
  awsDocument = JSON.parse(result.body as string) as OpenApiDocument;
  workDir = mkdtempSync(join(tmpdir(), 'openapi-tools-'));
});

afterAll(async () => {
  await api.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function lint(document: unknown): Promise<NormalizedProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  return lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
}

const summary = (problems: NormalizedProblem[]) =>
  problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);

describe('the served document', () => {
  it('names the API it came from in servers', () => {
    expect(localDocument.servers).toEqual([{ url: api.url.replace(/\/$/, '') }]);
    expect(awsDocument.servers).toEqual([{ url: 'https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com' }]);
  });

  it.each([
    ['local gateway', () => localDocument, { ...ALLOWED_WARNINGS, ...ALLOWED_LOCAL_WARNINGS }],
    ['AWS handler', () => awsDocument, ALLOWED_WARNINGS],
  ] as const)(
    'from the %s passes Redocly recommended lint with no errors',
    async (_where, document, allowed) => {
      const problems = await lint(document());
      expect(summary(problems.filter((p) => p.severity === 'error'))).toEqual([]);
      expect(summary(problems.filter((p) => p.severity === 'warn' && !(p.ruleId in allowed)))).toEqual([]);
    },
  );

  it('fails the lint when a reference goes nowhere (so the lint can fail)', async () => {
    const broken = structuredClone(awsDocument) as OpenApiDocument & {
      components: { schemas: Record<string, unknown> };
    };
    delete broken.components.schemas.Provider;
    const errors = (await lint(broken)).filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.ruleId)).toContain('no-unresolved-refs');
  });
});

describe('client types from openapi-typescript', () => {
  /** Writes `files` beside the generated types and type-checks them; the diagnostics by file. */
  function typeCheck(files: Record<string, string>): Record<string, string[]> {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(workDir, name), text);
    const program = ts.createProgram(
      Object.keys(files).map((name) => join(workDir, name)),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        types: [],
      },
    );
    const byFile: Record<string, string[]> = {};
    for (const name of [...Object.keys(files), 'api.d.ts']) {
      const source = program.getSourceFile(join(workDir, name));
      byFile[name] = ts
        .getPreEmitDiagnostics(program, source)
        .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    return byFile;
  }

  beforeAll(async () => {
    const ast = await openapiTS(awsDocument as never);
    writeFileSync(join(workDir, 'api.d.ts'), astToString(ast));
  });

  /** Shorthands every snippet starts with, as a client would write them. */
  const PRELUDE = `import type { components, paths } from './api';
type Registration = paths['/providers']['post']['requestBody']['content']['application/json'];
type DirectoryQuery = NonNullable<paths['/directory']['get']['parameters']['query']>;
type DirectoryPage = paths['/directory']['get']['responses'][200]['content']['application/json'];
type RegistrationProblem = paths['/providers']['post']['responses'][400]['content']['application/problem+json'];
`;

  it('type-check a client registering a provider, reading the directory and handling a problem', () => {
    const diagnostics = typeCheck({
      'client.ts': `${PRELUDE}
export const registration: Registration = {
  name: 'Safe Homes North West',
  legalForm: 'charitable_company',
  charityNumber: '1234567',
  companyNumber: '01234567',
  sector: 'voluntary',
  size: 'small',
  regions: ['north_west', 'national'],
  services: ['accommodation', 'health'],
  contact: { name: 'Ann Jones', email: 'ann@example.org', phone: '01632 960 001' },
  website: 'https://safehomes.example.org',
};
export const query: DirectoryQuery = { region: 'north_west', service: 'accommodation', limit: 5 };
export function names(page: DirectoryPage): string[] {
  const next: string | null = page.nextCursor;
  return page.items.map((item) => item.name + (next ?? ''));
}
export function fieldErrors(problem: RegistrationProblem): string[] {
  const status: number = problem.status;
  return (problem.errors ?? []).map((error) => \`\${status} \${error.path ?? ''}: \${error.message}\`);
}
export const provider = (body: paths['/providers/{id}']['get']['responses'][200]['content']['application/json']):
  components['schemas']['Provider'] => body;
`,
    });
    expect(diagnostics).toEqual({ 'client.ts': [], 'api.d.ts': [] });
  });

  it('reject a client that gets them wrong', () => {
    const diagnostics = typeCheck({
      'unknown-region.ts': `${PRELUDE}
export const query: DirectoryQuery = { region: 'narnia' };
`,
      'missing-contact.ts': `${PRELUDE}
export const registration: Registration = {
  name: 'Safe Homes', legalForm: 'charitable_company', sector: 'voluntary', size: 'small',
  regions: ['north_west'], services: ['accommodation'],
};
`,
      'no-such-field.ts': `${PRELUDE}
export const first = (page: DirectoryPage) => page.items[0]?.turnoverPence;
`,
      'problem-status-text.ts': `${PRELUDE}
export const status = (problem: RegistrationProblem): string => problem.status;
`,
    });
    expect(diagnostics['unknown-region.ts']).toEqual([expect.stringMatching(/^TS2322: .*"narnia"/s)]);
    expect(diagnostics['missing-contact.ts']).toEqual([expect.stringMatching(/^TS2741: .*'contact'/s)]);
    expect(diagnostics['no-such-field.ts']).toEqual([expect.stringMatching(/^TS2339: .*'turnoverPence'/s)]);
    expect(diagnostics['problem-status-text.ts']).toEqual([
      expect.stringMatching(/^TS2322: .*number.*string/s),
    ]);
  });
});
