// Errors as values: a code from the catalogue, a message for the user (what, where, what to do).
// The CLI maps them to the original tool's message and exit status; nothing below cli/ exits.

export type TsvsErrorCode =
  | 'TSVS_ERR_USAGE' // bad command-line usage
  | 'TSVS_ERR_FILE' // a file cannot be opened/read/written
  | 'TSVS_ERR_FORMAT' // a savefile/config/rules file is malformed
  | 'TSVS_ERR_FILTER' // a filter expression does not compile
  | 'TSVS_ERR_CAPTURE' // live capture cannot start or failed
  | 'TSVS_ERR_RULES' // an ipvsadm rule is invalid or conflicts
  | 'TSVS_ERR_CONTROL' // the control socket cannot be reached
  | 'TSVS_ERR_INTERNAL'; // a bug: reported, never a stack trace for the user

export class TsvsError extends Error {
  readonly code: TsvsErrorCode;
  /** Exit status the CLI should use when this error ends the program. */
  readonly exitStatus: number;
  constructor(code: TsvsErrorCode, message: string, exitStatus = 1) {
    super(message);
    this.name = 'TsvsError';
    this.code = code;
    this.exitStatus = exitStatus;
  }
}

export function isTsvsError(e: unknown): e is TsvsError {
  return e instanceof TsvsError;
}
