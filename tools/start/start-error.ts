/**
 * Something the user must install, start or change before `npm start` can work. The message is one
 * sentence saying what to do; start.ts prints it without a stack trace.
 */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}
