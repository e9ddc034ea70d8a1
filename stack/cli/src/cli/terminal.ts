import type { CommandIo } from './command.js';

/** Whether output to `io` gets colours: NO_COLOR off, FORCE_COLOR on, else only on a terminal. */
export function colorEnabled(io: CommandIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTerminal === true;
}

export type Paint = (text: string) => string;

/** SGR painters that do nothing when colour is off. */
export function painter(enabled: boolean): { red: Paint; green: Paint; yellow: Paint; bold: Paint; dim: Paint } {
  const sgr =
    (code: string): Paint =>
    (text) =>
      enabled ? `\x1b[${code}m${text}\x1b[0m` : text;
  return { red: sgr('31'), green: sgr('32'), yellow: sgr('33'), bold: sgr('1'), dim: sgr('2') };
}
