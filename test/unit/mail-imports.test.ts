/**
 * Lambda bundles stay lean (issue 17): the functions send e-mail through SES (`shared/email/ses-mailer.ts`),
 * never through nodemailer. Only `shared/email/smtp-mailer.ts` imports nodemailer, and nothing a function
 * bundles imports that module (the local stack and the tests do); the mail catcher's packages
 * (`smtp-server`, `mailparser`) are imported under `local/` alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] as string);
}

describe('mail libraries stay out of the Lambda functions', () => {
  const bundled = [...sources('functions'), ...sources('shared')];

  it('finds the sources it checks (not vacuous)', () => {
    expect(bundled).toContain('shared/email/smtp-mailer.ts');
    expect(importsOf('shared/email/smtp-mailer.ts')).toContain('nodemailer');
  });

  it('only the SMTP mailer imports nodemailer, and no function or shared module imports the SMTP mailer', () => {
    const offenders = bundled.filter((file) =>
      importsOf(file).some(
        (specifier) =>
          (specifier === 'nodemailer' && file !== 'shared/email/smtp-mailer.ts') ||
          specifier.endsWith('/smtp-mailer') ||
          specifier === 'smtp-server' ||
          specifier === 'mailparser',
      ),
    );
    expect(offenders).toEqual([]);
  });
});
