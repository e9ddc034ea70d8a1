/**
 * How many slips of the fingers turn `term` into `word`: a neighbouring key hit instead (on a
 * QWERTY keyboard), one vowel for another, a letter left out, a letter doubled or a neighbouring
 * key hit as well, two letters swapped. Any other change counts two: "sends" typed as "spends" (a
 * "p" nowhere near "s" or "e"), "style" as "stale", "doing" as "going" are not slips but other
 * English words, which a spelling correction must leave alone. Optimal string alignment with
 * these costs; `word` is what the user typed.
 */
export function typingSlips(word: string, term: string): number {
  const rows = word.length + 1;
  const columns = term.length + 1;
  const table = new Array<number>(rows * columns).fill(0);
  const at = (i: number, j: number) => table[i * columns + j]!;
  for (let j = 0; j < columns; j++) table[j] = j;
  for (let i = 1; i < rows; i++) {
    table[i * columns] = at(i - 1, 0) + extraLetterCost(word, i - 1);
    for (let j = 1; j < columns; j++) {
      const typed = word[i - 1]!;
      const meant = term[j - 1]!;
      let cost = Math.min(
        at(i - 1, j) + extraLetterCost(word, i - 1),
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (typed === meant ? 0 : substitutionCost(typed, meant)),
      );
      if (i > 1 && j > 1 && typed === term[j - 2] && word[i - 2] === meant)
        cost = Math.min(cost, at(i - 2, j - 2) + 1);
      table[i * columns + j] = cost;
    }
  }
  return at(rows - 1, columns - 1);
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Each letter's neighbours on a QWERTY keyboard (its row, and the staggered rows above and below). */
const NEIGHBOURS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  KEYBOARD_ROWS.flatMap((row, r) =>
    [...row].map((key, c) => {
      const near = [
        row[c - 1],
        row[c + 1],
        KEYBOARD_ROWS[r - 1]?.[c],
        KEYBOARD_ROWS[r - 1]?.[c + 1],
        KEYBOARD_ROWS[r + 1]?.[c - 1],
        KEYBOARD_ROWS[r + 1]?.[c],
      ];
      return [key, new Set(near.filter((letter): letter is string => letter !== undefined))] as const;
    }),
  ),
);

const isVowel = (letter: string) => 'aeiou'.includes(letter);
const nearOnKeyboard = (a: string, b: string) => NEIGHBOURS.get(a)?.has(b) ?? false;

/** A wrong letter: a slip when its key neighbours the right one, or both are vowels ("i" and "y" too). */
function substitutionCost(typed: string, meant: string): number {
  const vowels = isVowel(typed) && isVowel(meant);
  const sameSound = (typed === 'i' && meant === 'y') || (typed === 'y' && meant === 'i');
  return nearOnKeyboard(typed, meant) || vowels || sameSound ? 1 : 2;
}

/** A letter too many: a slip when it doubles a neighbour or its key is next to one's ("asd" for "ad"). */
function extraLetterCost(word: string, index: number): number {
  const letter = word[index]!;
  const slip = [word[index - 1], word[index + 1]].some(
    (beside) => beside !== undefined && (beside === letter || nearOnKeyboard(beside, letter)),
  );
  return slip ? 1 : 2;
}
