/**
 * Naming another organisation on the bid and pre-qualification pages (pure): a consortium member or a
 * registered sub-contractor is named by its directory reference, which a small charity's volunteer finds
 * only in the address of the organisation's page in Find a provider (the page itself shows no reference).
 * So the field takes that address as pasted from the browser – or the reference alone – and the page says
 * so in those words (the templates' hint: open their page, copy its address, paste it here).
 */

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** The reference at the end of a Find a provider page's address, with or without the host, a slash or a query. */
const PAGE_ADDRESS = /(?:^|\/)find-a-provider\/([0-9A-HJKMNP-TV-Z]{26})\/?(?:[?#].*)?$/i;

/** What the field says when what was typed names no organisation. */
export const DIRECTORY_REFERENCE_PROBLEM =
  'Enter the organisation’s page address from Find a provider, like https://…/find-a-provider/01JD2Q3R4S5T6V7W8X9Y0Z1A2B';

/**
 * The directory reference in what was typed: the reference itself (any case, spaces around it), or the
 * address of the organisation's page in Find a provider (`https://…/find-a-provider/<reference>`, or the
 * path alone). Undefined when it is neither; '' when nothing was typed.
 */
export function directoryReference(typed: string | undefined): string | undefined {
  const value = (typed ?? '').trim();
  if (value === '') return '';
  if (ULID.test(value.toUpperCase())) return value.toUpperCase();
  const found = PAGE_ADDRESS.exec(value);
  return found?.[1] ? found[1].toUpperCase() : undefined;
}
