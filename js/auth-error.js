// The error every spa-oauth failure is thrown as: a real Error subclass, so `instanceof Error`,
// `.stack` and `console.error` work as users expect. Its `code` is stable (see the README).
export class AuthError extends Error {
  constructor(code, message, description, status) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    if (description != null) this.description = description;
    if (status != null) this.status = status;
  }
}
