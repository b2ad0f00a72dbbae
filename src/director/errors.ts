// Director refusals as values: the kernel's errno for the operation, plus ipvsadm's wording of it.
// ipvsadm 1.31 libipvs ipvs_strerror(): the message depends on (operation, errno).

import { TsvsError } from '../errors.js';

/** errno values the IPVS control path returns (as names). */
export type KernelErrno = 'EEXIST' | 'ESRCH' | 'ENOENT' | 'ERANGE' | 'EINVAL' | 'ENOMEM' | 'EAFNOSUPPORT';

/** ipvsadm command names as used in its messages. */
export type DirectorOp =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'flush'
  | 'add-server'
  | 'edit-server'
  | 'delete-server'
  | 'zero'
  | 'set'
  | 'list';

/** Exit status ipvsadm uses when the kernel refuses a command (listing failures exit 1). */
export const KERNEL_REFUSAL_EXIT = 255;

/** ipvsadm's message for a kernel refusal of `op` with `errno` (libipvs ipvs_strerror table). */
export function ipvsadmMessage(op: DirectorOp, errno: KernelErrno): string {
  const svcOps = op === 'edit-service' || op === 'delete-service' || op === 'zero' || op === 'list';
  const destOps = op === 'add-server' || op === 'edit-server' || op === 'delete-server';
  switch (errno) {
    case 'EEXIST':
      if (op === 'add-service') return 'Service already exists';
      if (op === 'add-server') return 'Destination already exists';
      return 'File exists';
    case 'ENOENT':
      if (op === 'add-service' || op === 'edit-service') return 'Scheduler or persistence engine not found';
      if (op === 'edit-server' || op === 'delete-server') return 'No such destination';
      return 'No such file or directory';
    case 'ESRCH':
      if (svcOps) return 'No such service';
      if (destOps) return 'Service not defined';
      return 'No such process';
    case 'EINVAL':
      return 'Invalid operation.  Possibly wrong module version, address not unicast, ...';
    case 'ENOMEM':
      return 'Memory allocation problem';
    case 'EAFNOSUPPORT':
      return 'Operation not supported with specified address family';
    case 'ERANGE':
      return 'Numerical result out of range';
  }
}

/** A refused director operation: `errno` + `op` let the CLI print ipvsadm's exact message. */
export class DirectorError extends TsvsError {
  readonly errno: KernelErrno;
  readonly op: DirectorOp;
  /** What was refused and why, for logs (the ipvsadm message is `message`). */
  readonly detail: string;
  constructor(op: DirectorOp, errno: KernelErrno, detail: string) {
    super('TSVS_ERR_RULES', ipvsadmMessage(op, errno), KERNEL_REFUSAL_EXIT);
    this.name = 'DirectorError';
    this.errno = errno;
    this.op = op;
    this.detail = detail;
  }
}

/** Result of a control operation: a value or a refusal; nothing is changed on refusal. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DirectorError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(op: DirectorOp, errno: KernelErrno, detail: string): Result<T> {
  return { ok: false, error: new DirectorError(op, errno, detail) };
}
