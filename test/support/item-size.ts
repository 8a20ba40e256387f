/**
 * The size DynamoDB counts for an item against its 400 KB limit, by the rules AWS documents ("Item sizes
 * and formats"): attribute names and strings in UTF-8 bytes, numbers 1 byte per two significant digits
 * plus 1 (at most 21), booleans and nulls 1 byte, lists and maps 3 bytes plus 1 byte per element plus their
 * contents (map keys counted like attribute names). Numbers are counted at their maximum, so the result is
 * an upper bound.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/** DynamoDB's item size limit: 400 KB. */
export const MAX_ITEM_BYTES = 400 * 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return bytes(value.S);
  if (value.N !== undefined) return 21;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum: number, s: string) => sum + bytes(s), 0);
  if (value.NS !== undefined) return value.NS.length * 21;
  if (value.L !== undefined)
    return 3 + value.L.reduce((sum: number, v: AttributeValue) => sum + 1 + valueSize(v), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((sum, [key, v]) => sum + 1 + bytes(key) + valueSize(v), 0);
  throw new Error(`Unknown attribute value ${JSON.stringify(value).slice(0, 80)}`);
}

/** The size of an item, as the repositories' document client would write it. */
export function itemSize(item: Record<string, unknown>): number {
  const attributes = marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false });
  return Object.entries(attributes).reduce((sum, [name, value]) => sum + bytes(name) + valueSize(value), 0);
}
