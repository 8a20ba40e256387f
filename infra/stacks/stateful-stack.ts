/**
 * The stateful stack: the DynamoDB tables, one per trust boundary (DESIGN.md section 4), and the tender
 * documents bucket.
 *
 * Kept apart from the code so that the stateless stack (functions, API, user pool, alarms) can be changed,
 * replaced or torn down freely without ever putting data at risk.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TableName } from '../../shared/db/table-names';
import { TABLE_LIST } from '../../shared/db/tables';
import { DocumentsBucket } from '../constructs/documents-bucket';
import { ServiceTable } from '../constructs/service-table';

/** Construct id of a table: `registry` → `RegistryTable`. */
function tableId(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}Table`;
}

/** Every table of `shared/db/tables.ts`, PITR on, deletion-protected and retained. */
export class StatefulStack extends Stack {
  /** The tables by logical name, handed to the stateless stack as constructs. */
  readonly tables: Record<TableName, ServiceTable>;
  /** The tender documents bucket (issue 15), retained like the tables. */
  readonly documents: DocumentsBucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const entries = TABLE_LIST.map(
      (definition) =>
        [definition.name, new ServiceTable(this, tableId(definition.name), definition)] as const,
    );
    this.tables = Object.fromEntries(entries) as Record<TableName, ServiceTable>;
    this.documents = new DocumentsBucket(this, 'Documents');
  }
}
