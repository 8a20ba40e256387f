/**
 * The README's "Every page" table lists every page of the route table, with the methods it answers and the
 * function that serves it, and nothing that is not a page: a newcomer reads it to find a page, so a page
 * added without its row (or a row left after a page is gone) fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/http/routes';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The rows of the table under "### Every page": path → "METHODS function". */
function tableRows(): Map<string, string> {
  const section = README.slice(README.indexOf('### Every page'));
  const rows = new Map<string, string>();
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const match = /^\| `([^`]+)` \| ([A-Z, ]+) \| .* \| `(\w+)` \|$/.exec(line);
    if (match) rows.set(match[1] as string, `${match[2]} ${match[3]}`);
  }
  return rows;
}

/** The page routes: path → "METHODS function", GET first. */
function pageRoutes(): Map<string, string> {
  const byPath = new Map<string, { methods: Set<string>; fn: string }>();
  for (const route of ROUTES as readonly {
    kind?: string;
    path: string;
    method: string;
    function: string;
  }[]) {
    if (route.kind !== 'page') continue;
    const entry = byPath.get(route.path) ?? { methods: new Set<string>(), fn: route.function };
    entry.methods.add(route.method);
    byPath.set(route.path, entry);
  }
  const order = ['GET', 'POST'];
  return new Map(
    [...byPath].map(([path, { methods, fn }]) => [
      path,
      `${[...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(', ')} ${fn}`,
    ]),
  );
}

describe("README's page table", () => {
  it('has rows (not vacuous)', () => {
    expect(tableRows().size).toBeGreaterThan(50);
  });

  it('lists every page with its methods and function, and nothing else', () => {
    expect(Object.fromEntries(tableRows())).toEqual(Object.fromEntries(pageRoutes()));
  });
});
