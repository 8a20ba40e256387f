/**
 * Supply chains (pure): the sub-contractors a prime declares for a contract, registered ones resolved from
 * the registry (their name, sector and size come from it), the others described by the prime.
 */
import type { FieldIssue } from '../errors';
import type { Sector, Service, Size } from '../reference-data';

/** Most sub-contractors in a supply chain. */
export const MAX_SUBCONTRACTORS = 200;
/**
 * Most sub-contractors named by provider id: each one paid in a return gets its own item in the return's
 * transaction, for the sub-contractor's view of what it was paid.
 */
export const MAX_REGISTERED_SUBCONTRACTORS = 40;
/** A sub-contractor ref: letters, digits and `. _ / -`, up to 40 characters. */
export const SUBCONTRACTOR_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

/** A sub-contractor as the prime declares it. */
export interface SubcontractorInput {
  ref: string;
  /** A registered provider; its name, sector and size then come from the registry. */
  providerId?: string | undefined;
  name?: string | undefined;
  sector?: Sector | undefined;
  size?: Size | undefined;
  services: Service[];
  plannedValuePence: number;
}

/** A sub-contractor in a declared supply chain. */
export interface Subcontractor {
  ref: string;
  providerId?: string | undefined;
  name: string;
  sector: Sector;
  size: Size;
  services: Service[];
  plannedValuePence: number;
}

/** A contract's supply chain. */
export interface SupplyChain {
  contractId: string;
  subcontractors: Subcontractor[];
  /**
   * Every registered provider ever named in the chain, kept across versions (stored, never shown): the wall's
   * connection rule for payment by results reads it, so dropping a sub-contractor from the chain does not
   * let a commissioner connected to it validate the prime's claims.
   */
  everRegistered?: string[] | undefined;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** What the supply chain needs to know of a registered provider. */
export interface RegisteredProvider {
  id: string;
  name: string;
  sector: Sector;
  size: Size;
  status: 'pending' | 'verified' | 'rejected';
}

/**
 * Checks a declared supply chain and resolves registered sub-contractors from the registry.
 * @returns the sub-contractors, or every problem found (paths `subcontractors.N.field`).
 */
export function resolveSupplyChain(
  input: SubcontractorInput[],
  registered: ReadonlyMap<string, RegisteredProvider>,
  primeProviderId: string,
): { subcontractors: Subcontractor[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const subcontractors: Subcontractor[] = [];
  const refs = new Map<string, number>();
  const providers = new Map<string, number>();
  const at = (i: number, field: string) => `subcontractors.${i}.${field}`;
  if (input.length > MAX_SUBCONTRACTORS) {
    issues.push({ path: 'subcontractors', message: `Name at most ${MAX_SUBCONTRACTORS} sub-contractors` });
  }
  const registeredCount = input.filter((s) => s.providerId !== undefined).length;
  if (registeredCount > MAX_REGISTERED_SUBCONTRACTORS) {
    issues.push({
      path: 'subcontractors',
      message: `Name at most ${MAX_REGISTERED_SUBCONTRACTORS} sub-contractors by provider id (${registeredCount} given)`,
    });
  }
  input.forEach((entry, i) => {
    const ref = entry.ref.trim();
    if (!SUBCONTRACTOR_REF_PATTERN.test(ref)) {
      issues.push({
        path: at(i, 'ref'),
        message:
          'Use up to 40 letters, digits, dots, underscores, slashes or hyphens, starting with a letter or digit',
      });
    }
    const seenRef = refs.get(ref);
    if (seenRef !== undefined) {
      issues.push({ path: at(i, 'ref'), message: `Ref ${ref} is already used by subcontractors.${seenRef}` });
    } else refs.set(ref, i);
    if (new Set(entry.services).size !== entry.services.length) {
      issues.push({ path: at(i, 'services'), message: 'Each service may be listed once' });
    }
    const base = { ref, services: entry.services, plannedValuePence: entry.plannedValuePence };
    if (entry.providerId !== undefined) {
      const seenProvider = providers.get(entry.providerId);
      if (seenProvider !== undefined) {
        issues.push({
          path: at(i, 'providerId'),
          message: `This provider is already named as subcontractors.${seenProvider}`,
        });
      } else providers.set(entry.providerId, i);
      if (entry.providerId === primeProviderId) {
        issues.push({
          path: at(i, 'providerId'),
          message: 'The prime provider cannot be its own sub-contractor',
        });
        return;
      }
      const provider = registered.get(entry.providerId);
      if (!provider) {
        issues.push({ path: at(i, 'providerId'), message: 'No registered provider has this id' });
        return;
      }
      if (provider.status !== 'verified') {
        issues.push({
          path: at(i, 'providerId'),
          message:
            'This provider is not verified yet: name it without a providerId, or ask an admin to verify it',
        });
        return;
      }
      subcontractors.push({
        ...base,
        providerId: provider.id,
        name: provider.name,
        sector: provider.sector,
        size: provider.size,
      });
      return;
    }
    const name = entry.name?.trim() ?? '';
    if (name === '')
      issues.push({ path: at(i, 'name'), message: 'Give the name of an unregistered sub-contractor' });
    if (entry.sector === undefined) {
      issues.push({ path: at(i, 'sector'), message: 'Give the sector of an unregistered sub-contractor' });
    }
    if (entry.size === undefined) {
      issues.push({ path: at(i, 'size'), message: 'Give the size of an unregistered sub-contractor' });
    }
    if (name !== '' && entry.sector !== undefined && entry.size !== undefined) {
      subcontractors.push({ ...base, name, sector: entry.sector, size: entry.size });
    }
  });
  return { subcontractors: issues.length > 0 ? [] : subcontractors, issues };
}

/** Every registered provider a stored chain named, in any version it remembers (the wall's connections). */
export function everRegisteredIn(chain: SupplyChain | undefined): string[] {
  if (!chain) return [];
  return [
    ...(chain.everRegistered ?? []),
    ...chain.subcontractors.flatMap((s) => (s.providerId ? [s.providerId] : [])),
  ];
}
