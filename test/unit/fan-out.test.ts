import { describe, expect, it } from 'vitest';
import { matchingPartitions } from '../../shared/use-cases/competitions/publish-competition';

describe('matchingPartitions (who hears of a new opportunity)', () => {
  it('reads each region × service partition, and the national providers of each service', () => {
    expect(matchingPartitions({ regions: ['london', 'wales'], services: ['health'] })).toEqual([
      { region: 'london', service: 'health' },
      { region: 'wales', service: 'health' },
      { region: 'national', service: 'health' },
    ]);
  });

  it('reads the any-region partition of each service for a national competition', () => {
    expect(matchingPartitions({ regions: ['national'], services: ['health', 'accommodation'] })).toEqual([
      { region: '*', service: 'health' },
      { region: '*', service: 'accommodation' },
    ]);
  });
});
