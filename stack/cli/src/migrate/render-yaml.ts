import { isDeepStrictEqual } from 'node:util';
import { parseComposeYaml } from '@codiesvibe/compose';
import { Document, isScalar, visit } from 'yaml';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { hasMarks } from './host-paths.js';

/**
 * Strings Compose's YAML reader would take for a number, a boolean or null when written plain
 * (YAML 1.1 words included, as some Compose versions read them), and `a:b` pairs of numbers that
 * YAML 1.1 reads as base-60 numbers: written in double quotes.
 */
const AMBIGUOUS = /^(?:[-+]?(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?|0[xo][0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|\d+(?::\d+)+)$/;

/**
 * `value` as YAML with `header` as its leading comment. The text is read back with the engine's
 * parser and must give `value` again, so no string turns into a number and no key is lost.
 */
export function renderComposeYaml(value: Record<string, unknown>, header: readonly string[], file: string): string {
  if (hasMarks(value)) throw new StackError(STACK_ERROR_CODES.INTERNAL, `${file}: a host path was not rewritten for its file (please report this)`);
  const document = new Document(value);
  visit(document, {
    Pair(_key, pair) {
      // File modes are written in octal (`mode: 0440`), as people write them: the parsed number
      // (288) is the same value, but nobody reads permissions in decimal.
      if (isScalar(pair.key) && pair.key.value === 'mode' && isScalar(pair.value) && isFileMode(pair.value.value)) {
        pair.value = document.createNode(`${OCTAL_OPEN}${pair.value.value.toString(8)}${OCTAL_CLOSE}`);
      }
    },
    Scalar(_key, node) {
      if (typeof node.value === 'string' && AMBIGUOUS.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
    Seq(_key, node) {
      // Short lists of plain words read best on one line: `test: [CMD, node, healthcheck.js]`.
      const words = node.items.map((item) => (isScalar(item) ? String(item.value) : undefined));
      const plain = words.every((word) => word !== undefined && /^[\w./@%+=-][\w./@%+=-]*$/.test(word) && !AMBIGUOUS.test(word));
      if (plain && words.join(', ').length <= 60) node.flow = true;
    },
  });
  document.commentBefore = header.map((line) => ` ${line}`).join('\n');
  const text = spaced(document.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: false })).replace(OCTAL, (_match, digits: string) => `0${digits}`);
  const [parsed] = parseComposeYaml(text, file);
  if (!isDeepStrictEqual(parsed?.value, value)) {
    throw new StackError(STACK_ERROR_CODES.INTERNAL, `${file}: the YAML written does not read back as planned (please report this)`);
  }
  return text;
}

/** A file mode stands in the text as this plain word until the octal digits replace it. */
const OCTAL_OPEN = 'stack-migrate-octal-';
const OCTAL_CLOSE = '-end';
const OCTAL = new RegExp(`${OCTAL_OPEN}([0-7]+)${OCTAL_CLOSE}`, 'g');

function isFileMode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o7777;
}

/** Top-level sections whose entries are definitions, each set apart by a blank line. */
const DEFINITION_SECTIONS = new Set(['services', 'networks', 'volumes', 'secrets', 'configs', 'models']);

/** A blank line between top-level sections and between the entries of `services:` and the like. */
function spaced(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let section = '';
  lines.forEach((line, index) => {
    const previous = lines[index - 1] ?? '';
    const isTopLevel = /^[^\s#]/.test(line);
    if (isTopLevel) section = line.slice(0, line.indexOf(':'));
    const topLevel = isTopLevel && index > 0 && previous !== '' && !previous.startsWith('#');
    const entry = DEFINITION_SECTIONS.has(section) && /^ {2}[^\s#-]/.test(line) && !/^[^\s#]/.test(previous) && previous !== '';
    if (topLevel || entry) out.push('');
    out.push(line);
  });
  return out.join('\n');
}
