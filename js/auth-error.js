// The error every spa-oauth failure is thrown as: a real Error subclass, so `instanceof Error`,
// `.stack` and `console.error` work as users expect. Its `code` is stable (see the README).
export class AuthError extends Error {
  constructor(code, message, description, status, b2cCode) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    if (description != null) this.description = description;
    if (status != null) this.status = status;
    // Azure AD B2C: the AADB2Cnnnnn code of the description (AADB2C90118: forgot password).
    if (b2cCode != null) this.b2cCode = b2cCode;
  }
}
