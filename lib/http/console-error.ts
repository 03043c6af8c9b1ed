// Base of errors whose message is written for the person using the console: safe and useful to show as is
// (see public-error.ts for what happens to every other error).
export class ConsoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
