/**
 * Key builders: every `pk`/`sk`/`gsiN` value in every table is built here, so prefixes never collide and
 * each access pattern can be read off one page.
 *
 * ## Access patterns
 *
 * | table    | pattern                                   | key                                                   |
 * |----------|-------------------------------------------|-------------------------------------------------------|
 * | registry | provider profile by id                    | pk `PROVIDER#<id>`, sk `PROFILE`                      |
 * | registry | members of a provider                     | pk `PROVIDER#<id>`, sk begins_with `MEMBER#`          |
 * | registry | organisations of a user (`GET /me`)       | gsi1 pk `USER#<sub>`, gsi1 sk begins_with `MEMBER#`   |
 *
 * Later capabilities add their rows here.
 */

/** Registry keys. */
export const registryKeys = {
  provider: (providerId: string) => ({ pk: `PROVIDER#${providerId}`, sk: 'PROFILE' }),
  member: (providerId: string, sub: string) => ({
    pk: `PROVIDER#${providerId}`,
    sk: `MEMBER#${sub}`,
    gsi1pk: `USER#${sub}`,
    gsi1sk: `MEMBER#${providerId}`,
  }),
  membershipsOfUser: (sub: string) => ({ gsi1pk: `USER#${sub}`, gsi1skPrefix: 'MEMBER#' }),
};
