/**
 * Registered charity numbers and Companies House numbers (DESIGN.md section 2): normalised so the same
 * number typed differently is recognised as the same registration, then validated.
 */

/**
 * Normalises and validates a charity number:
 * England & Wales 6–8 digits; Scotland `SC` + 6 digits; Northern Ireland `NIC` + 6 digits.
 * Spaces are ignored and letters upper-cased.
 * @returns the canonical number, or `undefined` when it is not a valid charity number.
 */
export function normaliseCharityNumber(raw: string): string | undefined {
  const value = raw.replace(/\s/g, '').toUpperCase();
  if (/^\d{6,8}$/.test(value)) return value;
  if (/^SC\d{6}$/.test(value)) return value;
  if (/^NIC\d{6}$/.test(value)) return value;
  return undefined;
}

/**
 * Normalises and validates a Companies House number: 8 characters, either 8 digits or a 2-letter prefix
 * (`SC`, `NI`, `OC`, …) and 6 digits. Numbers of 6 or 7 digits are the same number without its leading
 * zeros (as people often type them) and are padded.
 * @returns the canonical number, or `undefined` when it is not a valid company number.
 */
export function normaliseCompanyNumber(raw: string): string | undefined {
  const value = raw.replace(/\s/g, '').toUpperCase();
  if (/^\d{6,8}$/.test(value)) return value.padStart(8, '0');
  if (/^[A-Z]{2}\d{6}$/.test(value)) return value;
  return undefined;
}
