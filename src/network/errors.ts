/** Raised for an invalid network description, before anything is mapped or loaded. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}
