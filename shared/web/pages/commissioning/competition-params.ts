/**
 * Path parameters of one competition's pages (task list, declaration, wall, publish, cancel): a malformed
 * competition id is a page that does not exist, as on the JSON routes.
 */
import { NotFoundError } from '../../../domain/errors';
import { ulidSchema } from '../../../http/schemas/common';
import type { PageRequest } from '../../page';

/** The competition id of the address, or the 404 page. */
export function competitionIdOf(request: Pick<PageRequest, 'params'>): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No competition at this address.');
  return id.data;
}
