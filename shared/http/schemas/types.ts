/**
 * The schema set a route declares: request parts for validation and responses for the OpenAPI document.
 */
import type { z } from 'zod';

/** Schemas of one route. */
export interface RouteSchemaSet {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success responses by status code. */
  responses: Partial<Record<200 | 201 | 204, z.ZodType>>;
  /** The success responses' media type, when not JSON (a CSV download: its schema is a described string). */
  responseMediaType?: 'text/csv';
}
