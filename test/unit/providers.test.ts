import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANY,
  canonicalNumbers,
  directoryPartitions,
  directorySortKey,
  MAX_DIRECTORY_ENTRIES,
  type ProviderDetails,
  providerRuleIssues,
} from '../../shared/domain/providers';
import { LEGAL_FORMS, type LegalForm, REGIONS, SERVICES } from '../../shared/domain/reference-data';

const details = (overrides: Partial<ProviderDetails> = {}): ProviderDetails => ({
  name: 'Hope Street',
  legalForm: 'unincorporated_association',
  sector: 'voluntary',
  size: 'micro',
  regions: ['london'],
  services: ['accommodation'],
  contact: { name: 'A', email: 'a@example.org' },
  ...overrides,
});

const paths = (d: ProviderDetails) => providerRuleIssues(d).map((i) => i.path);

describe('providerRuleIssues', () => {
  it('accepts a plain unincorporated association', () => {
    expect(providerRuleIssues(details())).toEqual([]);
  });

  describe.each(Object.entries(LEGAL_FORMS) as [LegalForm, { needs: string }][])(
    'legal form %s',
    (legalForm, { needs }) => {
      it('demands exactly the numbers it needs', () => {
        const none = paths(details({ legalForm }));
        expect(none.includes('charityNumber')).toBe(needs === 'charity' || needs === 'both');
        expect(none.includes('companyNumber')).toBe(needs === 'company' || needs === 'both');
        expect(paths(details({ legalForm, charityNumber: '1190001', companyNumber: '01234567' }))).toEqual(
          [],
        );
      });
    },
  );

  it('refuses malformed numbers', () => {
    expect(paths(details({ charityNumber: '12' }))).toEqual(['charityNumber']);
    expect(paths(details({ companyNumber: 'X1' }))).toEqual(['companyNumber']);
  });

  it('refuses national together with regions, and repeats', () => {
    expect(paths(details({ regions: ['national', 'london'] }))).toEqual(['regions']);
    expect(paths(details({ regions: ['london', 'london'] }))).toEqual(['regions']);
    expect(paths(details({ services: ['health', 'health'] }))).toEqual(['services']);
  });

  it('allows national with every service', () => {
    expect(providerRuleIssues(details({ regions: ['national'], services: [...SERVICES] }))).toEqual([]);
  });

  it('refuses more directory entries than one transaction can keep in step', () => {
    expect(paths(details({ regions: [...REGIONS], services: [...SERVICES] }))).toEqual(['regions']);
    expect(paths(details({ regions: ['london', 'wales'], services: [...SERVICES] }))).toEqual([]);
  });

  it('keeps every acceptable provider within the entry limit', () => {
    fc.assert(
      fc.property(
        fc.subarray([...REGIONS], { minLength: 1 }),
        fc.subarray([...SERVICES], { minLength: 1 }),
        (regions, services) => {
          const d = details({ regions, services });
          if (providerRuleIssues(d).length === 0)
            expect(directoryPartitions(d).length).toBeLessThanOrEqual(MAX_DIRECTORY_ENTRIES);
        },
      ),
    );
  });
});

describe('directoryPartitions', () => {
  it('crosses regions and any-region with services and any-service', () => {
    const partitions = directoryPartitions({ regions: ['london', 'wales'], services: ['health'] });
    expect(partitions).toEqual([
      { region: ANY, service: ANY },
      { region: ANY, service: 'health' },
      { region: 'london', service: ANY },
      { region: 'london', service: 'health' },
      { region: 'wales', service: ANY },
      { region: 'wales', service: 'health' },
    ]);
  });
});

describe('directorySortKey', () => {
  it('ignores case, accents and punctuation, and stays unique by id', () => {
    expect(directorySortKey('The Bridge-Trust', 'B')).toBe('the bridge trust#B');
    expect(directorySortKey('the bridge trust', 'A') < directorySortKey('The Bridge-Trust', 'B')).toBe(true);
    expect(directorySortKey('Café Ñandú', 'X')).toBe('cafe nandu#X');
    expect(directorySortKey('Áccord', 'X') < directorySortKey('Beacon', 'X')).toBe(true);
  });
});

describe('canonicalNumbers', () => {
  it('normalises both numbers and leaves absent ones absent', () => {
    expect(canonicalNumbers({ charityNumber: 'sc 012345', companyNumber: '1234567' })).toEqual({
      charityNumber: 'SC012345',
      companyNumber: '01234567',
    });
    expect(canonicalNumbers({})).toEqual({ charityNumber: undefined, companyNumber: undefined });
  });
});
