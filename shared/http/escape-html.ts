/**
 * HTML escaping for the few places the service writes HTML itself: the JSON functions' error page for
 * browsers and the `html` values GOV.UK macros take (a link inside a table cell, line breaks). One small
 * function shared by both, so the JSON functions need none of the web's modules.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}
