/**
 * A middleware on a DynamoDB client that records the name of every command sent through it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The recorder's handle. */
export interface CommandRecorder {
  commands(): string[];
  clear(): void;
}

/** Installs a recorder on the client. */
export function recordCommands(client: DynamoDBClient): CommandRecorder {
  let seen: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: `commandRecorder${Math.random().toString(36).slice(2)}` },
  );
  return {
    commands: () => [...seen],
    clear: () => {
      seen = [];
    },
  };
}
