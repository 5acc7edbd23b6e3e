/** The handler method a parameter decorator sits on, for the method decorators that document it. */
export function handlerDescriptor(target: object, propertyKey: string | symbol | undefined): { where: string; propertyKey: string | symbol; descriptor: PropertyDescriptor } {
  if (propertyKey === undefined) throw new Error('A request decorator belongs on a handler parameter, not a constructor parameter');
  const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
  if (!descriptor) throw new Error(`No handler ${String(propertyKey)} to document`);
  return { where: `${target.constructor.name}.${String(propertyKey)}`, propertyKey, descriptor };
}
