/** A problem the user can fix (bad input, a board that cannot run the network, a failed run); the message says what and how. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}
