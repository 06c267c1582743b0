import { GraphQLError } from 'graphql';

/** Error codes a client can act on; every other error reaches clients masked. */
export type ApiErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE';

/** An error meant for the person or program calling the API, with a code in `extensions`. */
export class ApiError extends GraphQLError {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message, { extensions: { code } });
  }
}
