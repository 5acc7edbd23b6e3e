import { Body, type PipeTransform } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { ValidationFailed } from './validation-failed';

/** Parses `value` with `schema`, or throws ValidationFailed (400 naming each offending field). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationFailed.fromZodError(result.error);
  return result.data;
}

/** `@Query(new ZodValidationPipe(listQuery)) query: ListQuery`, for inputs other than the body. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseWith(this.schema, value);
  }
}

/**
 * `create(@ZodBody(createDeliverySchema) body: CreateDelivery)`: validates the request body and
 * documents the same schema in the OpenAPI document.
 */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, propertyKey, parameterIndex) => {
    Body(new ZodValidationPipe(schema))(target, propertyKey, parameterIndex);
    if (propertyKey === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
    if (descriptor) ApiBody(openApiBodyOf(schema))(target, propertyKey, descriptor);
  };
}

// The request as clients send it (before transforms); types JSON cannot express become "any".
function openApiBodyOf(schema: z.ZodType): Parameters<typeof ApiBody>[0] {
  const jsonSchema = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  return { schema: jsonSchema } as Parameters<typeof ApiBody>[0];
}
