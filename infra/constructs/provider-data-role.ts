/**
 * The role a provider-facing function assumes for one provider organisation at a time (`providerDataRole`
 * in the route table: a bidder, or an applicant). Its trust policy lets only that function's role assume
 * it, and only with the session tag `providerId` (no other tag); its policy is `PROVIDER_DATA_GRANTS[kind]`,
 * conditioned on that tag, so the credentials of a request reach the tagged provider's own items and
 * nothing else of the sealed table. The function's own role gets no grant on the sealed table or the audit
 * log.
 */
import { Duration } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, SessionTagsPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { TableName } from '../../shared/db/table-names';
import type { ProviderDataKind } from '../../shared/http/routes';
import { PROVIDER_DATA_GRANTS, PROVIDER_TAG, type TableGrant } from '../table-access';
import type { ServiceTable } from './service-table';

/** Conditions on the trust statement: a `providerId` tag is required, and no other tag is accepted. */
export const PROVIDER_SESSION_CONDITIONS = {
  StringLike: { [`aws:RequestTag/${PROVIDER_TAG}`]: '?*' },
  'ForAllValues:StringEquals': { 'aws:TagKeys': [PROVIDER_TAG] },
};

/** A provider data role, trusted by one function's role. */
export class ProviderDataRole extends Role {
  /** The tables the role reaches, by logical name (the function needs their names, not grants on them). */
  readonly tables: Partial<Record<TableName, ServiceTable>>;

  constructor(
    scope: Construct,
    id: string,
    props: {
      kind: ProviderDataKind;
      assumedBy: IRole;
      tables: Record<TableName, ServiceTable>;
      description: string;
    },
  ) {
    super(scope, id, {
      // SessionTagsPrincipal adds sts:TagSession beside sts:AssumeRole: a tagged session needs both.
      assumedBy: new SessionTagsPrincipal(props.assumedBy).withConditions(PROVIDER_SESSION_CONDITIONS),
      description: props.description,
      // Sessions last 15 minutes (the shortest STS allows, what `shared/db/provider-data.ts` asks for).
      maxSessionDuration: Duration.hours(1),
    });
    const granted = Object.entries(PROVIDER_DATA_GRANTS[props.kind]) as [TableName, readonly TableGrant[]][];
    const tables: Partial<Record<TableName, ServiceTable>> = {};
    for (const [name, grants] of granted) {
      const table = props.tables[name];
      tables[name] = table;
      for (const { actions, conditions } of grants) {
        this.addToPolicy(
          new PolicyStatement({ actions: [...actions], resources: [table.tableArn], conditions }),
        );
      }
    }
    this.tables = tables;
  }
}
