/**
 * The service's own OCDS extension for the VCSE flag on parties (`parties[].details.vcse`): Contracts
 * Finder publishes that field, but no registered extension defines it, so this one does, and the service
 * serves it (`GET /ocds/extensions/vcse/extension.json` and its `release-schema.json`) for the packages'
 * `extensions` to point at. Both documents follow the extension format of OCDS 1.1
 * (https://standard.open-contracting.org/1.1/en/guidance/map/extensions/).
 */

/** The extension's metadata (`extension.json`). */
export const VCSE_EXTENSION = {
  name: { en: 'Party details: VCSE' },
  description: {
    en: 'Whether an organization is a voluntary, community or social enterprise (VCSE), as the buyer counts it, in the details of each party: the flag UK publishers (Contracts Finder) publish.',
  },
  compatibility: ['1.1'],
  schemas: ['release-schema.json'],
} as const;

/** The extension's JSON Merge Patch of the release schema (`release-schema.json`). */
export const VCSE_RELEASE_SCHEMA = {
  definitions: {
    Organization: {
      properties: {
        details: {
          properties: {
            vcse: {
              title: 'VCSE',
              description:
                'Whether the organization is a voluntary, community or social enterprise (a charity, voluntary or community organisation, or social enterprise), according to the definitions used by the buyer.',
              type: ['boolean', 'null'],
            },
          },
        },
      },
    },
  },
} as const;
