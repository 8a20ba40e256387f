/**
 * One DynamoDB table built from its definition in `shared/db/tables.ts`, with the protections DESIGN.md
 * section 5 ("nothing lost") asks of every table.
 *
 * This is `dynamodb.Table` (AWS::DynamoDB::Table), not `TableV2` (AWS::DynamoDB::GlobalTable), on purpose:
 * the service is single-region, cdk-nag's point-in-time-recovery rule (AwsSolutions-DDB3) only inspects
 * AWS::DynamoDB::Table, and LocalStack (`cdklocal deploy`, DESIGN.md section 4) deploys it reliably.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../shared/db/tables';

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/** A table of the service, carrying the definition it was built from. */
export class ServiceTable extends Table {
  /** The shared definition: logical name, keys and indexes (used to grant index ARNs one by one). */
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, definition: TableDefinition) {
    super(scope, id, {
      partitionKey: stringKey(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: stringKey(definition.sortKey) } : {}),
      // On-demand: traffic is spiky around tender deadlines and idle otherwise.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Procurement records, bids and the audit chain outlive any deployment of the code.
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
      ...(definition.ttlAttribute ? { timeToLiveAttribute: definition.ttlAttribute } : {}),
      // Only a table something consumes has a stream (the audit table: its sequencer).
      ...(definition.stream ? { stream: StreamViewType[definition.stream.viewType] } : {}),
    });
    this.definition = definition;
    for (const index of definition.indexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
