/**
 * Types shared by the HTTP stack.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Principal } from '../domain/principal';

/**
 * An API Gateway HTTP API (v2) event. Routes behind the JWT authorizer carry the verified claims at
 * `requestContext.authorizer.jwt.claims`; public routes carry none.
 */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: {
      jwt?: { claims?: Record<string, string | number | boolean | string[]>; scopes?: string[] | null };
    };
  };
};

/** What the HTTP stack hands a route handler once the request is authenticated and validated. */
export interface RouteRequest<P = unknown, Q = unknown, B = unknown> {
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  /** Lower-cased request headers. */
  headers: Record<string, string | undefined>;
  /** When API Gateway received the request; deadlines are judged against it. */
  receivedAt: Date;
  requestId: string;
  event: HttpEvent;
  context: Context;
}

/** The response every route returns. */
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The internal event shape inside the stack, with what the middlewares attach. */
export type StackEvent = HttpEvent & {
  principal?: Principal;
  validated?: { params: unknown; query: unknown; body: unknown };
};
