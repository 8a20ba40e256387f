/**
 * Notification routes (issue 17): a user's e-mail preferences and saved searches, and one-click
 * unsubscribe. Part of the route table (`shared/http/routes.ts`). The delivery (the outbox read from its
 * table's stream, e-mail through SES) joins this context.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const notificationsFunctions = {
  notifications: {
    entry: 'functions/notifications/index.ts',
    description:
      "The caller's e-mail preferences and saved searches (GET/PUT /me/subscriptions); one-click unsubscribe (POST /unsubscribe/{token}).",
    // One item per user in the registry (`SUBSCRIPTIONS#<sub>`), read and replaced under its version (by
    // its user, or by whoever holds an unsubscribe link the service signed for them).
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
  {
    method: 'POST',
    path: '/unsubscribe/{token}',
    function: 'notifications',
    // RFC 8058: a mail provider posts here on the reader's behalf, with no credentials; the token, which
    // only the service can sign, names the user and what to stop, and is all the authority there is.
    access: 'public',
    summary:
      "One-click unsubscribe (RFC 8058, every e-mail's List-Unsubscribe address): stop the e-mails the link names. The body (`List-Unsubscribe=One-Click`, or none) is not read; a link followed again stops nothing more",
    tag: 'notifications',
    problems: [
      {
        code: 'not-found',
        when: 'the token is not one the service signed (changed, cut short, made with another key, or not a token at all); nothing is written, and the answer does not say whose a token might be',
      },
      {
        code: 'conflict',
        when: "the user's preferences kept changing while the link was followed (rare): follow it again",
      },
    ],
  },
] as const satisfies readonly RouteSpec[];
