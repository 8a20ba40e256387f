/**
 * Rules of the code's shape (the developers' guide and DESIGN.md section 4), checked on the sources so a
 * change that breaks one fails here rather than in review: handlers do not talk to AWS themselves, domain
 * rules do no I/O, and handlers build only the repositories they use (their bundles stay under 300 KB).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every `.ts` file under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The module specifiers a file imports (static imports, re-exports and dynamic imports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] as string);
}

/** `file → offending specifiers`, for files that import anything `forbidden` matches. */
function offenders(files: string[], forbidden: (specifier: string) => boolean): Record<string, string[]> {
  return Object.fromEntries(
    files
      .map((file) => [file, importsOf(file).filter(forbidden)] as const)
      .filter(([, found]) => found.length > 0),
  );
}

describe('code shape', () => {
  it('finds the sources it checks (not vacuous)', () => {
    expect(sources('functions').length).toBeGreaterThan(10);
    expect(sources('shared/domain').length).toBeGreaterThan(10);
    expect(importsOf('functions/tenders/bidder.ts')).toContain('../../shared/db/provider-data');
  });

  it('no handler imports the AWS SDK: they call use cases, which call repositories', () => {
    expect(offenders(sources('functions'), (s) => s.startsWith('@aws-sdk/'))).toEqual({});
  });

  it('domain rules do no I/O: no SDK, no repositories, no file system or network', () => {
    const io = (s: string) =>
      s.startsWith('@aws-sdk/') ||
      s.includes('/db/') ||
      s.startsWith('../db') ||
      ['node:fs', 'node:fs/promises', 'node:http', 'node:https', 'node:net', 'node:child_process'].includes(
        s,
      );
    expect(offenders(sources('shared/domain'), io)).toEqual({});
  });

  it('web pages read and write through use cases, never a repository method of their own', () => {
    // `repositories().providers.get(…)` or `providerRepository().get(…)` in a page: a read past the
    // use case (and its rules, such as "only verified providers are public").
    const direct = /(?:\brepositories\(\)\.\w+|\b\w+Repository\(\))\.\w+\(/;
    const files = sources('shared/web/pages');
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((file) => direct.test(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('handlers and web pages name the repositories they use instead of building all of them', () => {
    const allInOne = (file: string) =>
      /\brepositories\b(?!\w)/.test(
        readFileSync(join(ROOT, file), 'utf8').match(
          /import \{([^}]*)\} from '[^']*db\/repositories'/,
        )?.[1] ?? '',
      );
    const files = [...sources('functions'), ...sources('shared/web/pages')];
    expect(files.filter(allInOne)).toEqual([]);
  });
});
