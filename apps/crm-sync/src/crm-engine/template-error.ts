/** A template or parameter an administrator wrote that the engine cannot use; the message says where and why. */
export class CrmTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmTemplateError';
  }
}

/** A request that cannot be built for this session: a variable its URL needs has no value. */
export class CrmValueMissing extends Error {
  constructor(readonly variable: string, where: string) {
    super(`${where} needs {${variable}}, which has no value for this session`);
    this.name = 'CrmValueMissing';
  }
}
