/** (being written) */
import type { PageMap } from '../../page';

/** This group's pages by route key. */
export const publishCancelPages: PageMap = {};
