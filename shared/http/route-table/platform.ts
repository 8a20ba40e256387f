/**
 * Platform routes: health, the OpenAPI document, the caller. Part of the route table (`shared/http/routes.ts`).
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const platformFunctions = {
  platform: {
    entry: 'functions/platform/index.ts',
    description: 'Health, OpenAPI document, the caller (/me) and unknown routes.',
    tables: { registry: 'read' },
    facing: 'public',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const platformRoutes = [
  {
    method: 'GET',
    path: '/health',
    function: 'platform',
    access: 'public',
    summary: 'Liveness check',
    tag: 'platform',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'platform',
    access: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'platform',
  },
  {
    method: 'GET',
    path: '/me',
    function: 'platform',
    access: 'user',
    summary: 'The caller and their organisations',
    tag: 'platform',
  },
] as const satisfies readonly RouteSpec[];
