/**
 * The pages render templates compiled ahead of time (`npm run templates`, scripts/precompile-templates.ts)
 * with Nunjucks' runtime-only build. The committed module must be what the generator makes of today's
 * templates, and what it makes must render exactly as Nunjucks rendering the template files would.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTemplatesModule } from '../../scripts/precompile-templates';
import { COMPILED_TEMPLATES } from '../../shared/web/compiled-templates';
import { compiledEnvironment, renderTemplate } from '../../shared/web/render';
import { addFilters, ENVIRONMENT_OPTIONS, resolveTemplateName } from '../../shared/web/template-setup';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the committed compiled templates', () => {
  it('are what npm run templates makes of the templates and the installed nunjucks and govuk-frontend', () => {
    const committed = readFileSync(join(ROOT, COMPILED_TEMPLATES.path), 'utf8');
    // Not toBe: a diff of two 500 KB modules would bury the one thing to do.
    const upToDate = committed === generateTemplatesModule(ROOT);
    expect(upToDate, `${COMPILED_TEMPLATES.path} is out of date: run npm run templates`).toBe(true);
  });

  it('are what the pages render', () => {
    const html = renderTemplate('errors/error.njk', { title: 'Page not found', cspNonce: 'n0nce' });
    expect(html).toContain('<title>Page not found');
    expect(html).toContain('govuk-template');
  });
});

describe('relative template names', () => {
  it.each([
    ['govuk/components/input/macro.njk', './template.njk', 'govuk/components/input/template.njk'],
    ['govuk/components/input/template.njk', '../../macros/attributes.njk', 'govuk/macros/attributes.njk'],
    ['govuk/components/input/template.njk', '../hint/macro.njk', 'govuk/components/hint/macro.njk'],
    ['govuk/template.njk', './components/footer/macro.njk', 'govuk/components/footer/macro.njk'],
  ])('from %s, %s is %s', (parent, name, resolved) => {
    expect(resolveTemplateName(parent, name)).toBe(resolved);
  });
});

describe('the generator', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  /** A repository with these templates of its own and the real node_modules (nunjucks, govuk-frontend). */
  /** A repository with these templates in `shared/web/templates`, and `beside` the pages in `shared/web/pages`. */
  function repoWith(templates: Record<string, string>, beside: Record<string, string> = {}): string {
    root = mkdtempSync(join(tmpdir(), 'compiled-templates-'));
    const files = [
      ...Object.entries(templates).map(([name, text]) => ['shared/web/templates', name, text] as const),
      ...Object.entries(beside).map(([name, text]) => ['shared/web/pages', name, text] as const),
    ];
    for (const [dir, name, text] of files) {
      const file = join(root, dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    return root;
  }

  /** Loads a generated module's text as `require` would. */
  function load(text: string): Record<string, unknown> {
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', text)(module);
    return module.exports;
  }

  const PAGE = `{% extends "layout.njk" %}
{% from "govuk/components/button/macro.njk" import govukButton %}
{% from "govuk/components/input/macro.njk" import govukInput %}
{% block content %}
{% include "partials/note.njk" %}
{{ govukInput({ label: { text: label }, id: "name", name: "name", errorMessage: { text: error } }) }}
{{ govukButton({ text: "Save " + (pence | pounds) }) }}
{% endblock %}`;
  const TEMPLATES = {
    'layout.njk':
      '{% extends "govuk/template.njk" %}{% block main %}{% block content %}{% endblock %}{% endblock %}',
    'page.njk': PAGE,
    'partials/note.njk': '<p>{{ note }}</p>',
  };

  it('follows extends, include and imports into GOV.UK Frontend, whose macros import by relative names', () => {
    const compiled = load(generateTemplatesModule(repoWith(TEMPLATES)));
    expect(Object.keys(compiled)).toEqual(
      expect.arrayContaining([
        'layout.njk',
        'page.njk',
        'partials/note.njk',
        'govuk/template.njk',
        'govuk/components/input/macro.njk',
        'govuk/components/input/template.njk',
        'govuk/components/error-message/macro.njk',
        'govuk/components/hint/macro.njk',
        'govuk/macros/attributes.njk',
      ]),
    );
    // Only what is reachable: the page uses no checkboxes.
    expect(Object.keys(compiled)).not.toContain('govuk/components/checkboxes/macro.njk');
  });

  it('renders byte for byte what Nunjucks makes of the template files, escaping and filters included', () => {
    const repo = repoWith(TEMPLATES);
    const context = {
      label: 'Name <script>',
      error: 'Enter a "name" & more',
      note: '<b>not bold</b>',
      pence: 123456,
      cspNonce: 'n0nce',
    };
    const fromFiles = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([
        join(repo, 'shared/web/templates'),
        join(repo, 'node_modules/govuk-frontend/dist'),
      ]),
      ENVIRONMENT_OPTIONS,
    );
    addFilters(fromFiles);
    const expected = fromFiles.render('page.njk', context);

    const html = compiledEnvironment(load(generateTemplatesModule(repo))).render('page.njk', context);

    expect(html).toBe(expected);
    expect(html).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(html).toContain('Save £1,234.56');
  });

  it('compiles the templates beside the pages, named by their path from shared/web/pages, and refuses a clash', () => {
    const repo = repoWith(
      { 'layout.njk': '<main>{% block pageContent %}{% endblock %}</main>' },
      {
        'commissioning/list.njk':
          '{% extends "layout.njk" %}{% block pageContent %}{% include "./nav.njk" %}{% endblock %}',
        'commissioning/nav.njk': '<nav>{{ label }}</nav>',
      },
    );
    const compiled = load(generateTemplatesModule(repo));
    expect(Object.keys(compiled)).toEqual(
      expect.arrayContaining(['layout.njk', 'commissioning/list.njk', 'commissioning/nav.njk']),
    );
    expect(compiledEnvironment(compiled).render('commissioning/list.njk', { label: 'A & B' })).toBe(
      '<main><nav>A &amp; B</nav></main>',
    );
    const clash = repoWith({ 'commissioning/list.njk': 'a' }, { 'commissioning/list.njk': 'b' });
    expect(() => generateTemplatesModule(clash)).toThrow(/commissioning\/list\.njk is both/);
  });

  it('refuses a reference to a template that exists nowhere, naming it', () => {
    const repo = repoWith({ 'page.njk': '{% include "partials/missing.njk" %}' });
    expect(() => generateTemplatesModule(repo)).toThrow(/page\.njk refers to partials\/missing\.njk/);
  });

  it('refuses a template named by an expression, which it could not follow', () => {
    const repo = repoWith({ 'page.njk': 'a\n{% include partialName %}' });
    expect(() => generateTemplatesModule(repo)).toThrow(
      /page\.njk, line 2: refers to a template by an expression/,
    );
  });
});
