// Typed failures of the profile and secret stores, carrying readable messages for the admin.
import { CtiError } from '../../shared/commands.js';

export type ProfileFailure = 'invalid' | 'notFound' | 'builtIn' | 'io';

export class ProfileStoreError extends CtiError {
  readonly reason: ProfileFailure;
  /** Readable validation errors ("connection.port: ..."), one per problem. */
  readonly errors: readonly string[];

  constructor(reason: ProfileFailure, message: string, errors: readonly string[] = []) {
    super(reason === 'io' ? 'internal' : 'invalid', errors.length ? `${message}: ${errors.join('; ')}` : message);
    this.name = 'ProfileStoreError';
    this.reason = reason;
    this.errors = errors;
  }
}

export type SecretFailure =
  /** No OS keychain / safeStorage: the secret cannot be stored encrypted, so it is not stored. */
  | 'unavailable'
  | 'invalid'
  | 'io';

export class SecretStoreError extends CtiError {
  readonly reason: SecretFailure;

  constructor(reason: SecretFailure, message: string) {
    super(reason === 'invalid' ? 'invalid' : 'internal', message);
    this.name = 'SecretStoreError';
    this.reason = reason;
  }
}
