/**
 * Records every command the shared DynamoDB client sends and fails any test that issued a Scan: no request
 * path may scan (DESIGN.md section 5).
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { dynamoDbClient } from '../../shared/db/client';
import { recordCommands } from '../support/command-recorder';

const recorder = recordCommands(dynamoDbClient());

beforeEach(() => {
  recorder.clear();
});

afterEach(() => {
  const scans = recorder.commands().filter((name) => name === 'ScanCommand' || name === 'ScanPaginator');
  expect(scans, 'a Scan was sent to DynamoDB; request paths must use GetItem/Query on designed keys').toEqual(
    [],
  );
});
