import { Param, type PipeTransform } from '@nestjs/common';
import { closed } from './closed';
import { lowerCaseGuid, parseNamed } from './named-input';
import { ZodQuery } from './zod-query';

const guid = lowerCaseGuid();

/** Parses a path parameter as a GUID (lower-cased as ids are stored); a 400 names the parameter. */
class GuidParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    return parseNamed(this.name, guid, value);
  }
}

/** A resource id in the path, e.g. `get(@GuidParam() id: string)` for `:id`. */
export function GuidParam(name = 'id'): ParameterDecorator {
  return Param(name, new GuidParamPipe(name));
}

const noQuery = closed({});

/** A list that takes no query parameters and refuses any (a limit too): the tenant's whole, short list. */
export function NoQuery(): ParameterDecorator {
  return ZodQuery(noQuery, { inputLabel: 'The query' });
}
