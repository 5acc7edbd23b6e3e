import { z } from 'zod';
import { isClosedSchema } from './closed';

/** OpenAPI's JSON Schema object, as @nestjs/swagger's decorators take it. */
export type OpenApiSchema = Record<string, unknown>;

/**
 * The input as clients send it (before transforms), in OpenAPI 3.0's JSON Schema dialect. Types
 * JSON cannot express become "any"; refinements are not expressible at all, so the validating
 * schema stays the authority and this is its documentation.
 */
export function openApiSchemaOf(schema: z.ZodType): OpenApiSchema {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // closed() is a loose object underneath; what it accepts is a closed one.
      if (isClosedSchema(zodSchema)) jsonSchema.additionalProperties = false;
    },
  }) as OpenApiSchema;
}
