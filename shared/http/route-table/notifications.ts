/**
 * Notification routes (issue 17): a user's e-mail preferences and saved searches. Part of the route table
 * (`shared/http/routes.ts`). The delivery (the outbox read from the registry's stream, e-mail through SES)
 * and `POST /unsubscribe/{token}` join this context.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const notificationsFunctions = {
  notifications: {
    entry: 'functions/notifications/index.ts',
    description: "The caller's e-mail preferences and saved searches (GET/PUT /me/subscriptions).",
    // One item per user in the registry (`SUBSCRIPTIONS#<sub>`), read and replaced under its version.
    tables: { registry: 'readWrite' },
    facing: 'provider',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const notificationsRoutes = [
  {
    method: 'GET',
    path: '/me/subscriptions',
    function: 'notifications',
    access: 'user',
    summary: "The caller's e-mail preferences and saved searches, with their version",
    tag: 'notifications',
  },
  {
    method: 'PUT',
    path: '/me/subscriptions',
    function: 'notifications',
    access: 'user',
    summary: "Replace the caller's e-mail preferences and saved searches, made from the version read",
    tag: 'notifications',
    idempotent: true,
    problems: [
      {
        code: 'conflict',
        when: 'they changed since the version the body names (another tab or client): read them again and re-apply the change',
      },
    ],
  },
] as const satisfies readonly RouteSpec[];
