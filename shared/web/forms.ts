/**
 * Form helpers: turning field issues (from zod or from a use case's ValidationError) into the GOV.UK
 * error summary and per-field messages, and form values into API bodies.
 */
import type { z } from 'zod';
import { DomainError, type FieldIssue, ValidationError } from '../domain/errors';
import { zodIssues } from '../http/middleware/validate';

/** A field's element id: `contact.email` → `contact-email`, `exclusionGrounds.mandatory.0.details` → `…-0-details`. */
export function fieldId(path: string): string {
  return path.replaceAll('.', '-') || 'main-content';
}

/** What a page needs to show errors: the summary list and each field's message by path. */
export interface FormErrors {
  errorList: { text: string; href: string }[];
  errors: Record<string, { text: string }>;
}

/**
 * Builds the error summary and field messages. `hrefFor` may redirect a path to another element (a field
 * on another page, the first checkbox of a group); by default each links to its own field.
 */
export function formErrors(
  issues: readonly FieldIssue[],
  hrefFor: (path: string) => string = (p) => `#${fieldId(p)}`,
): FormErrors {
  // Paths can carry client-chosen keys (a criterion id): no prototype to find `constructor` on.
  const errors: Record<string, { text: string }> = Object.create(null);
  const errorList: { text: string; href: string }[] = [];
  for (const issue of issues) {
    const path = issue.path ?? issue.field ?? '';
    const text = issue.row !== undefined ? `Row ${issue.row}: ${issue.message}` : issue.message;
    errorList.push({ text, href: hrefFor(path) });
    if (!Object.hasOwn(errors, path)) errors[path] = { text };
  }
  return { errorList, errors };
}

/**
 * GOV.UK wording for the schema's generic messages (zod's "Invalid option: expected one of …" suits an
 * API client, not a person): a field left blank or unchosen gets `messages[path]`, when given.
 */
export function humanise(issues: readonly FieldIssue[], messages: Record<string, string>): FieldIssue[] {
  const generic = /^(Invalid option|Invalid input|Enter a value|Too small|Expected)/;
  return issues.map((issue) => {
    const better = issue.path !== undefined ? messages[issue.path] : undefined;
    return better && generic.test(issue.message) ? { ...issue, message: better } : issue;
  });
}

/** The issues of a zod parse, or none. */
export function issuesOf(result: z.ZodSafeParseResult<unknown>): FieldIssue[] {
  return result.success ? [] : zodIssues(result.error);
}

/**
 * The issues a use case reported for bad input, or undefined for any other error, which the page stack
 * then shows as an error page. A duplicate registration names the numbers, so it is shown against them.
 */
export function issuesFromError(error: unknown, duplicatePaths: string[] = []): FieldIssue[] | undefined {
  if (error instanceof ValidationError) {
    return error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }];
  }
  if (error instanceof DomainError && error.code === 'duplicate-registration') {
    return (duplicatePaths.length > 0 ? duplicatePaths : ['']).map((path) => ({
      path,
      message: error.message,
    }));
  }
  return undefined;
}

/** A trimmed form value, or undefined when blank. */
export function optionalText(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name)?.trim();
  return value ? value : undefined;
}
