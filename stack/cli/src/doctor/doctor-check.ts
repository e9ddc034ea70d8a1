/** The outcome of one `stack doctor` check: ✔ fine, ⚠ works with less, ✖ blocks the environment. */
export type CheckStatus = 'ok' | 'warn' | 'error';

export interface DoctorCheck {
  status: CheckStatus;
  /** What was checked and what was found, one line. */
  message: string;
  /** What to do about a ⚠ or ✖, one line. */
  fix?: string;
}

export const ok = (message: string): DoctorCheck => ({ status: 'ok', message });
export const warn = (message: string, fix: string): DoctorCheck => ({ status: 'warn', message, fix });
export const fail = (message: string, fix: string): DoctorCheck => ({ status: 'error', message, fix });
